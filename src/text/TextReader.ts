import { LineReader, sizeAt } from '../connection/LineReader';
import type { Deliver, WireLimits } from '../connection/WireRequest';
import { isValueLine, TextResponse, wordEnd } from './TextResponse';

/** The classic protocol's lines that announce a value: `VALUE <key> <flags> <bytes> [<cas>]`. */
function textValueSize(buf: Buffer, start: number, end: number): number {
  if (!isValueLine(buf, start, end)) return -1;
  const flagsAt = wordEnd(buf, start + 6, end) + 1;
  const sizeAtIndex = wordEnd(buf, flagsAt, end) + 1;
  return sizeAtIndex < end ? sizeAt(buf, sizeAtIndex, end) : -2;
}

/** The line reader (src/connection/LineReader.ts) reading the classic text protocol's answers. */
export class TextReader extends LineReader<TextResponse> {
  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: Deliver<TextResponse>, limits: WireLimits, server: string) {
    super(new TextResponse(server), textValueSize, deliver, limits, server);
  }
}
