import { DEFAULTS } from '../config/options';
import { SPACE } from '../connection/asciiCodes';
import { LineReader, MAX_LINE_BYTES, sizeAt } from '../connection/LineReader';
import type { Deliver, WireLimits } from '../connection/WireRequest';
import { code, MetaResponse } from './MetaResponse';

export { code, MAX_LINE_BYTES, MetaResponse };

const VA = code('VA');
const DEFAULT_LIMITS: WireLimits = { maxValueBytes: DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };

/** The meta protocol's lines that announce a value: `VA <size> <flags>*`. */
function metaValueSize(buf: Buffer, start: number, end: number): number {
  if (end - start < 2 || ((buf[start]! << 8) | buf[start + 1]!) !== VA) return -1;
  return buf[start + 2] === SPACE ? sizeAt(buf, start + 3, end) : -2;
}

/** The line reader (src/connection/LineReader.ts) reading the meta protocol's answers. */
export class MetaReader extends LineReader<MetaResponse> {
  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: Deliver<MetaResponse>, limits: WireLimits = DEFAULT_LIMITS, server = 'the server') {
    super(new MetaResponse(server), metaValueSize, deliver, limits, server);
  }
}
