import { DEFAULTS } from '../config/options';
import { malformed } from '../connection/malformed';
import { PendingBytes } from '../connection/PendingBytes';
import type { Deliver, ResponseReader, WireLimits } from '../connection/WireRequest';
import { code, MetaResponse } from './MetaResponse';

export { code, MetaResponse };

const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
const CR = 0x0d;
const NEWLINE = 0x0a;
const VA = code('VA');
/** Digits of a value's size: enough for any size under 2^32. */
const SIZE_DIGITS = 10;

/**
 * memcached's longest answer line is a key (250 bytes, or its base64) with a few numeric flags:
 * far below this. A line that goes on past it is not memcached's.
 */
export const MAX_LINE_BYTES = 8 * 1024;
const DEFAULT_LIMITS: WireLimits = { maxValueBytes: DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };

/**
 * Cuts the bytes of one socket into responses, where they arrive. A chunk is read in place; an
 * incomplete line or value is kept as its chunks and joined once, when it ends, and only new bytes
 * are searched for a line's end, so reading costs the same per byte however the bytes are cut. It
 * trusts nothing: a value's size must be digits within `maxValueBytes` and the value end with
 * `\r\n`, a line must end within `maxLineBytes`; anything else throws the connection's error.
 */
export class MetaReader implements ResponseReader {
  readonly #response: MetaResponse;
  readonly #deliver: Deliver<MetaResponse>;
  readonly #limits: WireLimits;
  readonly #server: string;
  // An unfinished line.
  readonly #tail = new PendingBytes();
  // A value being gathered: the line that announced it, its pieces so far and the bytes still
  // missing (the value and its `\r\n`).
  #line: Buffer = Buffer.alloc(0);
  readonly #value = new PendingBytes();
  #missing = 0;

  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: Deliver<MetaResponse>, limits: WireLimits = DEFAULT_LIMITS, server = 'the server') {
    this.#deliver = deliver;
    this.#limits = limits;
    this.#server = server;
    this.#response = new MetaResponse(server);
  }

  /** Whether a partial response is held (bytes of a response that has not ended). */
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
      if (!this.#emitValue(line, 0, line.length, whole, 0, whole.length - 2)) return;
    }
    if (this.#tail.holding) {
      // The end of the line is searched for in the new bytes only.
      const newline = chunk.indexOf(NEWLINE, pos);
      if (newline < 0) {
        this.#keepTail(pos === 0 ? chunk : chunk.subarray(pos));
        return;
      }
      buf = this.#tail.take(pos === 0 ? chunk : chunk.subarray(pos));
      pos = 0;
    }
    const length = buf.length;
    const maxLine = this.#limits.maxLineBytes;
    while (pos < length) {
      const newline = buf.indexOf(NEWLINE, pos);
      if (newline < 0) break;
      if (newline - pos > maxLine) throw this.#lineTooLong();
      const end = newline > pos && buf[newline - 1] === CR ? newline - 1 : newline;
      if (end - pos >= 2 && ((buf[pos]! << 8) | buf[pos + 1]!) === VA) {
        const size = this.#size(buf, pos, end);
        const valueAt = newline + 1;
        if (length - valueAt < size + 2) {
          // The value goes on in the next chunks: keep its line and what is here.
          this.#line = buf.subarray(pos, end);
          if (valueAt < length) this.#value.add(buf.subarray(valueAt), Number.POSITIVE_INFINITY);
          this.#missing = size + 2 - (length - valueAt);
          return;
        }
        if (!this.#emitValue(buf, pos, end, buf, valueAt, valueAt + size)) return;
        pos = valueAt + size + 2;
        continue;
      }
      if (!this.#emit(buf, pos, end, undefined)) return;
      pos = newline + 1;
    }
    if (pos < length) this.#keepTail(buf.subarray(pos));
  }

  #keepTail(bytes: Buffer): void {
    if (!this.#tail.add(bytes, this.#limits.maxLineBytes)) throw this.#lineTooLong();
  }

  #lineTooLong(): Error {
    return malformed(this.#server, `a line longer than ${this.#limits.maxLineBytes} bytes`);
  }

  // The size of a `VA <size> ...` line: digits, within maxValueBytes.
  #size(buf: Buffer, start: number, end: number): number {
    let size = 0;
    let i = start + 3;
    let digits = buf[start + 2] === SPACE;
    for (; digits && i < end && buf[i] !== SPACE; i++) {
      const c = buf[i]!;
      digits = c >= ZERO && c <= NINE;
      size = size * 10 + (c - ZERO);
    }
    if (!digits || i === start + 3 || i - start - 3 > SIZE_DIGITS) {
      throw malformed(this.#server, `a value header without a size (${describe(buf, start, end)})`);
    }
    const max = this.#limits.maxValueBytes;
    if (size > max) throw malformed(this.#server, `a value of ${size} bytes, over maxValueBytes (${max})`);
    return size;
  }

  // A value must end with `\r\n` where its size says: else the size lied, and the stream is lost.
  #emitValue(line: Buffer, start: number, end: number, buf: Buffer, valueAt: number, valueEnd: number): boolean {
    if (buf[valueEnd] !== CR || buf[valueEnd + 1] !== NEWLINE) {
      throw malformed(this.#server, `a value that does not end where its size says (${describe(line, start, end)})`);
    }
    return this.#emit(line, start, end, buf.subarray(valueAt, valueEnd));
  }

  #emit(buf: Buffer, start: number, end: number, value: Buffer | undefined): boolean {
    const response = this.#response;
    response.buf = buf;
    response.start = start;
    response.end = end;
    response.value = value;
    response.identify();
    return this.#deliver(response);
  }
}

function describe(buf: Buffer, start: number, end: number): string {
  return JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 80)));
}
