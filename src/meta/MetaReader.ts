import { DEFAULTS } from '../config/options';
import { LineReader, MAX_LINE_BYTES } from '../connection/LineReader';
import type { Deliver, WireLimits } from '../connection/WireRequest';
import { code, MetaResponse } from './MetaResponse';

export { code, MAX_LINE_BYTES, MetaResponse };

const DEFAULT_LIMITS: WireLimits = { maxValueBytes: DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };

/** The line reader (src/connection/LineReader.ts) reading the meta protocol's answers (MetaResponse). */
export class MetaReader extends LineReader<MetaResponse> {
  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: Deliver<MetaResponse>, limits: WireLimits = DEFAULT_LIMITS, server = 'the server') {
    super(new MetaResponse(server), deliver, limits, server);
  }
}
