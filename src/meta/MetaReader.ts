/**
 * One response of memcached's text/meta protocol, as the reader hands it out: the status line (the
 * bytes `buf[start, end)`, without its `\r\n`) and, for a `VA` line, the value that followed it.
 * The reader reuses one object for every response: a handler reads what it needs before returning.
 */
export class MetaResponse {
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;
  value: Buffer | undefined = undefined;

  /** The first two bytes of the line, as one number (compare with `code('HD')`). */
  get code(): number {
    return this.end - this.start >= 2 ? (this.buf[this.start]! << 8) | this.buf[this.start + 1]! : 0;
  }

  /** The line as text (rare paths only: errors, stats, version). */
  get line(): string {
    return this.buf.toString('utf8', this.start, this.end);
  }

  /**
   * The number after the return flag `letter` (e.g. `f` in `VA 3 f42`, `t` in `HD t-1`), or
   * undefined when the line has no such flag.
   */
  flag(letter: number): number | undefined {
    const buf = this.buf;
    const end = this.end;
    let i = this.start + 2;
    for (; i < end; i++) {
      if (buf[i] !== SPACE || buf[i + 1] !== letter) continue;
      let j = i + 2;
      const negative = buf[j] === MINUS;
      if (negative) j++;
      let n = 0;
      for (; j < end && buf[j] !== SPACE; j++) n = n * 10 + (buf[j]! - ZERO);
      return negative ? -n : n;
    }
    return undefined;
  }

  /** Whether the line carries the bare flag `letter` (W, X, Z). */
  has(letter: number): boolean {
    const buf = this.buf;
    for (let i = this.start + 2; i < this.end; i++) {
      if (buf[i] === SPACE && buf[i + 1] === letter && (i + 2 === this.end || buf[i + 2] === SPACE)) return true;
    }
    return false;
  }

  /** The digits after flag `letter` as a bigint (CAS values exceed 2^53), or undefined. */
  bigFlag(letter: number): bigint | undefined {
    const text = this.line;
    const at = text.indexOf(` ${String.fromCharCode(letter)}`);
    if (at < 0) return undefined;
    const stop = text.indexOf(' ', at + 2);
    return BigInt(text.slice(at + 2, stop < 0 ? text.length : stop));
  }
}

/** `code('HD')`: the two-byte status of a line, as `MetaResponse.code` reads it. */
export function code(status: string): number {
  return (status.charCodeAt(0) << 8) | status.charCodeAt(1);
}

const EMPTY = Buffer.alloc(0);
const SPACE = 0x20;
const ZERO = 0x30;
const MINUS = 0x2d;
const NEWLINE = 0x0a;
const VA = code('VA');

/**
 * Cuts the bytes of one socket into responses, where they arrive. A chunk is read in place; only an
 * incomplete line is kept (and joined with the next chunk), and a value split over chunks is gathered
 * once its size is known and joined once, so a large value costs one copy, not one per chunk.
 */
export class MetaReader {
  readonly #response = new MetaResponse();
  readonly #deliver: (response: MetaResponse) => boolean;
  #tail: Buffer | undefined;
  // A value being gathered: the line that announced it, the pieces so far and the bytes still missing
  // (the value and its `\r\n`).
  #line: Buffer = EMPTY;
  #pieces: Buffer[] = [];
  #missing = 0;

  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: (response: MetaResponse) => boolean) {
    this.#deliver = deliver;
  }

  /** Whether a partial response is held (bytes of a response that has not ended). */
  get holding(): boolean {
    return this.#tail !== undefined || this.#missing > 0;
  }

  feed(chunk: Buffer): void {
    let buf = chunk;
    let pos = 0;
    if (this.#missing > 0) {
      if (chunk.length < this.#missing) {
        this.#pieces.push(chunk);
        this.#missing -= chunk.length;
        return;
      }
      this.#pieces.push(chunk.subarray(0, this.#missing));
      pos = this.#missing;
      this.#missing = 0;
      const whole = Buffer.concat(this.#pieces);
      this.#pieces = [];
      const line = this.#line;
      this.#line = EMPTY;
      if (!this.#emit(line, 0, line.length, whole.subarray(0, whole.length - 2))) return;
    }
    if (this.#tail !== undefined) {
      buf = Buffer.concat([this.#tail, pos === 0 ? chunk : chunk.subarray(pos)]);
      pos = 0;
      this.#tail = undefined;
    }
    const length = buf.length;
    while (pos < length) {
      const newline = buf.indexOf(NEWLINE, pos);
      if (newline < 0) break;
      const end = newline > pos && buf[newline - 1] === 0x0d ? newline - 1 : newline;
      if (end - pos > 3 && ((buf[pos]! << 8) | buf[pos + 1]!) === VA && buf[pos + 2] === SPACE) {
        let size = 0;
        for (let i = pos + 3; i < end && buf[i] !== SPACE; i++) size = size * 10 + (buf[i]! - ZERO);
        const valueAt = newline + 1;
        if (length - valueAt < size + 2) {
          // The value goes on in the next chunks: keep its line and what is here.
          this.#line = buf.subarray(pos, end);
          this.#pieces = valueAt < length ? [buf.subarray(valueAt)] : [];
          this.#missing = size + 2 - (length - valueAt);
          return;
        }
        if (!this.#emit(buf, pos, end, buf.subarray(valueAt, valueAt + size))) return;
        pos = valueAt + size + 2;
        continue;
      }
      if (!this.#emit(buf, pos, end, undefined)) return;
      pos = newline + 1;
    }
    if (pos < length) this.#tail = buf.subarray(pos);
  }

  #emit(buf: Buffer, start: number, end: number, value: Buffer | undefined): boolean {
    const response = this.#response;
    response.buf = buf;
    response.start = start;
    response.end = end;
    response.value = value;
    return this.#deliver(response);
  }
}
