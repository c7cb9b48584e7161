import { CR, LF } from './asciiCodes';
import { checkValueBytes } from './checkValueBytes';
import { INCOMPLETE, type LineResponse } from './LineResponse';
import { malformed } from './malformed';
import { PendingBytes } from './PendingBytes';
import type { Deliver, ResponseReader, WireLimits } from './WireRequest';

/**
 * memcached's longest answer line is a key (250 bytes, or its base64) with a few numbers: far
 * below this. A line that goes on past it is not memcached's.
 */
export const MAX_LINE_BYTES = 8 * 1024;

/**
 * Cuts the bytes of one socket into the line protocols' answers (a line, and the value some lines
 * announce), where they arrive. A chunk is read in place; an incomplete line or value is kept as
 * its chunks and joined once, when it ends, and only new bytes are searched for a line's end, so
 * reading costs the same per byte however the bytes are cut. It trusts nothing: a value's size
 * must be digits within `maxValueBytes` and the value end with `\r\n`, a line must end within
 * `maxLineBytes`; anything else throws the connection's error.
 */
export class LineReader<A extends LineResponse> implements ResponseReader {
  readonly #response: A;
  readonly #deliver: Deliver<A>;
  readonly #limits: WireLimits;
  readonly #server: string;
  // An unfinished line.
  readonly #tail = new PendingBytes();
  // A value being gathered: the line that announced it (with its line end), its pieces so far and
  // the bytes still missing (the value and its `\r\n`).
  #line: Buffer = Buffer.alloc(0);
  readonly #value = new PendingBytes();
  #missing = 0;

  /**
   * `response` is the one object every answer is read into (its `read` is the protocol's part of
   * the reader); `deliver` answers false to stop reading.
   */
  constructor(response: A, deliver: Deliver<A>, limits: WireLimits, server: string) {
    this.#response = response;
    this.#deliver = deliver;
    this.#limits = limits;
    this.#server = server;
  }

  /** Whether a partial answer is held (bytes of an answer that has not ended). */
  get holding(): boolean {
    return this.#tail.holding || this.#missing > 0;
  }

  feed(chunk: Buffer): void {
    let buf = chunk;
    let pos = 0;
    if (this.#missing > 0) {
      if (chunk.length < this.#missing) {
        this.#value.add(chunk, Number.POSITIVE_INFINITY);
        this.#missing -= chunk.length;
        return;
      }
      pos = this.#missing;
      this.#missing = 0;
      const whole = this.#value.take(chunk.subarray(0, pos));
      const line = this.#line;
      this.#line = buf.subarray(0, 0);
      // The response has read other bytes since: it reads its line again (the same bytes, the same result).
      const response = this.#response;
      response.read(line, 0, line.length);
      if (!this.#emitValue(line, 0, response.end, whole, 0, whole.length - 2)) return;
    }
    if (this.#tail.holding) {
      // The end of the line is searched for in the new bytes only.
      const newline = chunk.indexOf(LF, pos);
      if (newline < 0) {
        this.#keepTail(pos === 0 ? chunk : chunk.subarray(pos));
        return;
      }
      buf = this.#tail.take(pos === 0 ? chunk : chunk.subarray(pos));
      pos = 0;
    }
    const length = buf.length;
    const maxLine = this.#limits.maxLineBytes;
    const response = this.#response;
    while (pos < length) {
      const size = response.read(buf, pos, length);
      if (size === INCOMPLETE) break;
      const { end, next } = response;
      // The line's LF is at `next - 1`.
      if (next - 1 - pos > maxLine) throw this.#lineTooLong();
      if (size !== -1) {
        this.#checkSize(size, buf, pos, end);
        if (length - next < size + 2) {
          // The value goes on in the next chunks: keep its line and what is here.
          this.#line = buf.subarray(pos, next);
          if (next < length) this.#value.add(buf.subarray(next), Number.POSITIVE_INFINITY);
          this.#missing = size + 2 - (length - next);
          return;
        }
        if (!this.#emitValue(buf, pos, end, buf, next, next + size)) return;
        pos = next + size + 2;
        continue;
      }
      if (!this.#deliver(response)) return;
      pos = next;
    }
    if (pos < length) this.#keepTail(buf.subarray(pos));
  }

  #keepTail(bytes: Buffer): void {
    if (!this.#tail.add(bytes, this.#limits.maxLineBytes)) throw this.#lineTooLong();
  }

  #lineTooLong(): Error {
    return malformed(this.#server, `a line longer than ${this.#limits.maxLineBytes} bytes`);
  }

  #checkSize(size: number, buf: Buffer, start: number, end: number): void {
    if (size < 0) throw malformed(this.#server, `a value header without a size (${describe(buf, start, end)})`);
    checkValueBytes(size, this.#limits, this.#server);
  }

  // The response has read the line `line[start, end)`; its value is `buf[valueAt, valueEnd)`, which
  // must end with `\r\n` where its size says: else the size lied, and the stream is lost.
  #emitValue(line: Buffer, start: number, end: number, buf: Buffer, valueAt: number, valueEnd: number): boolean {
    if (buf[valueEnd] !== CR || buf[valueEnd + 1] !== LF) {
      throw malformed(this.#server, `a value that does not end where its size says (${describe(line, start, end)})`);
    }
    const response = this.#response;
    response.value = buf.subarray(valueAt, valueEnd);
    return this.#deliver(response);
  }
}

function describe(buf: Buffer, start: number, end: number): string {
  return JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 80)));
}
