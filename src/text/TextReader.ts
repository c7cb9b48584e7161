import { LineReader } from '../connection/LineReader';
import type { Deliver, WireLimits } from '../connection/WireRequest';
import { TextResponse } from './TextResponse';

/** The line reader (src/connection/LineReader.ts) reading the classic text protocol's answers. */
export class TextReader extends LineReader<TextResponse> {
  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: Deliver<TextResponse>, limits: WireLimits, server: string) {
    super(new TextResponse(server), deliver, limits, server);
  }
}
