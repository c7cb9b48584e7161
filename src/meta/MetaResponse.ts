import { MINUS, NINE, SPACE, ZERO } from '../connection/asciiCodes';
import { code, LineResponse } from '../connection/LineResponse';
import { MISSING_ID, NO_ID } from '../connection/WireRequest';

export { code };

const O = 0x4f;
/** Digits of a number the client reads from a line: up to 2^32 and a little more, no further. */
const MAX_DIGITS = 10;
// The meta statuses whose lines carry the request's opaque (`O`) back; MN and the error lines never do.
const TAGGED = new Set(['VA', 'HD', 'EN', 'NF', 'NS', 'EX'].map(code));

/**
 * One response of memcached's meta protocol, as the reader hands it out (LineResponse), with the
 * opaque its status line carries back as its id and the flags that follow its status.
 */
export class MetaResponse extends LineResponse {
  /** Reads `id` from the line: the opaque of a meta status line (MISSING_ID without one), else NO_ID. */
  override identify(): void {
    const buf = this.buf;
    const start = this.start;
    const end = this.end;
    const tagged = TAGGED.has(this.code) && (end - start === 2 || buf[start + 2] === SPACE);
    if (!tagged) {
      this.id = NO_ID;
      return;
    }
    const id = this.#find(O) ?? MISSING_ID;
    if (id < MISSING_ID) throw this.malformed('a malformed O flag');
    this.id = id;
  }

  /**
   * The number after the return flag `letter` (e.g. `f` in `VA 3 f42`, `t` in `HD t-1`), or
   * undefined when the line has no such flag. A flag that is not a number fails the connection.
   */
  flag(letter: number): number | undefined {
    return this.#find(letter);
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
    const digits = text.slice(at + 2, stop < 0 ? text.length : stop);
    if (!/^\d{1,20}$/.test(digits)) throw this.malformed(`a malformed ${String.fromCharCode(letter)} flag`);
    return BigInt(digits);
  }

  #find(letter: number): number | undefined {
    const buf = this.buf;
    const end = this.end;
    for (let i = this.start + 2; i < end; i++) {
      if (buf[i] !== SPACE || buf[i + 1] !== letter) continue;
      let j = i + 2;
      const negative = buf[j] === MINUS;
      if (negative) j++;
      const first = j;
      let n = 0;
      for (; j < end && buf[j] !== SPACE; j++) {
        const c = buf[j]!;
        if (c < ZERO || c > NINE) throw this.malformed(`a malformed ${String.fromCharCode(letter)} flag`);
        n = n * 10 + (c - ZERO);
      }
      if (j === first || j - first > MAX_DIGITS)
        throw this.malformed(`a malformed ${String.fromCharCode(letter)} flag`);
      return negative ? -n : n;
    }
    return undefined;
  }
}
