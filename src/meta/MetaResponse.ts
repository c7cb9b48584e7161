import { CR, LF, MINUS, NINE, SPACE, ZERO } from '../connection/asciiCodes';
import { code, INCOMPLETE, LineResponse } from '../connection/LineResponse';
import { MISSING_ID, NO_ID } from '../connection/WireRequest';

export { code };

const O = 0x4f;
const F = 0x66; // f: client flags
const W = 0x57;
const X = 0x58;
const Z = 0x5a;
/** Digits of a number the client reads from a line: up to 2^32 and a little more, no further. */
const MAX_DIGITS = 10;
// The meta statuses whose lines carry the request's opaque (`O`) back; MN and the error lines never do.
const [VA, HD, EN, NF, NS, EX] = ['VA', 'HD', 'EN', 'NF', 'NS', 'EX'].map(code);
// The bare flags a status line's one pass notes, as bits.
const BARE_W = 1;
const BARE_X = 2;
const BARE_Z = 4;
// What the pass found of `f`: none, a number, or something that is not one (failed when read).
const F_NONE = 0;
const F_READ = 1;
const F_MALFORMED = 2;
// What `#whole` is asked for when the O flag is not a number: the line's error.
const MALFORMED_O = -4;
// `tokenStop` of a space: the token ends and another follows.
const SPACE_STOP = -5;

/**
 * Whether a token of a status line stops at `buf[i]`: SPACE_STOP at a space, the length of the
 * line's end (1 for LF, 2 for CR LF) at its end, 0 inside the token, INCOMPLETE when `limit` cuts it.
 */
function tokenStop(buf: Buffer, i: number, limit: number): number {
  if (i >= limit) return INCOMPLETE;
  const c = buf[i];
  if (c === SPACE) return SPACE_STOP;
  if (c === LF) return 1;
  if (c !== CR) return 0;
  if (i + 1 >= limit) return INCOMPLETE;
  return buf[i + 1] === LF ? 2 : 0;
}

/**
 * One response of memcached's meta protocol, as the reader hands it out (LineResponse), with the
 * opaque its status line carries back as its id and the flags that follow its status.
 */
export class MetaResponse extends LineResponse {
  // What `read` noted of a status line's flags in its one pass over them, for the hot reads of a
  // get's answer (`f`, W, X, Z): the other flags are looked for when asked.
  #scanned = false;
  #bare = 0;
  #fState = F_NONE;
  #f = 0;
  #digitsEnd = 0;

  /**
   * A meta status line (VA, HD, EN, NF, NS, EX) is read token by token while its end is looked for:
   * its opaque as `id` (MISSING_ID without one), the size of a `VA` line's value, the client flags
   * and the bare flags W, X and Z, in the one pass over its bytes. Any other line (MN, the error
   * lines, the classic replies) carries no id.
   */
  override read(buf: Buffer, start: number, limit: number): number {
    const status = start + 2 < limit ? (buf[start]! << 8) | buf[start + 1]! : 0;
    const after = buf[start + 2];
    const tagged =
      (status === VA || status === HD || status === EN || status === NF || status === NS || status === EX) &&
      (after === SPACE || after === CR || after === LF);
    return tagged ? this.#readStatusLine(buf, start, limit, status) : super.read(buf, start, limit);
  }

  protected override scan(): number {
    this.#scanned = false;
    this.id = NO_ID;
    // `VA` must be followed by its size.
    return this.code === VA ? -2 : -1;
  }

  // `i` walks the bytes that end each token: a space, or the line's end (LF, or CR LF); a CR not
  // followed by LF is a byte of its token. A token cut by `limit` leaves the line INCOMPLETE.
  #readStatusLine(buf: Buffer, start: number, limit: number, status: number): number {
    let i = start + 2;
    let size = -1;
    if (status === VA) {
      // The value's size: 1 to 10 digits after one space.
      const n = this.#digits(buf, i + 1, limit);
      const j = this.#digitsEnd;
      const stop = tokenStop(buf, j, limit);
      if (stop === INCOMPLETE) return INCOMPLETE;
      if (buf[i] !== SPACE || j === i + 1 || j - i - 1 > MAX_DIGITS || stop === 0)
        return this.#whole(buf, start, limit, -2);
      size = n;
      i = j;
    }
    let id = MISSING_ID;
    let bare = 0;
    let fState = F_NONE;
    let f = 0;
    for (;;) {
      const stop = tokenStop(buf, i, limit);
      if (stop === INCOMPLETE) return INCOMPLETE;
      if (stop !== SPACE_STOP) {
        this.take(buf, start, i, i + stop);
        break;
      }
      const letter = buf[i + 1];
      let j = i + 1;
      if (letter === O || letter === F) {
        // A number: the opaque (unsigned), or the client flags (signed, as `#find` reads them).
        j++;
        const negative = letter === F && buf[j] === MINUS;
        if (negative) j++;
        const first = j;
        const n = this.#digits(buf, first, limit);
        j = this.#digitsEnd;
        const end = tokenStop(buf, j, limit);
        if (end === INCOMPLETE) return INCOMPLETE;
        const number = end !== 0 && j !== first && j - first <= MAX_DIGITS;
        if (letter === O) {
          if (!number) return this.#whole(buf, start, limit, MALFORMED_O);
          if (id === MISSING_ID) id = n;
        } else if (fState === F_NONE) {
          // A malformed `f` fails the connection when read.
          fState = number ? F_READ : F_MALFORMED;
          f = negative ? -n : n;
        }
        // A malformed number's token goes on to its stop.
        while (tokenStop(buf, j, limit) === 0) j++;
      } else {
        while (tokenStop(buf, j, limit) === 0) j++;
        if (j === i + 2) {
          if (letter === W) bare |= BARE_W;
          else if (letter === X) bare |= BARE_X;
          else if (letter === Z) bare |= BARE_Z;
        }
      }
      i = j;
    }
    this.code = status;
    this.id = id;
    this.#scanned = true;
    this.#bare = bare;
    this.#fState = fState;
    this.#f = f;
    return size;
  }

  // The decimal digits from `buf[from]` on, as a number; `#digitsEnd` is where they end.
  #digits(buf: Buffer, from: number, limit: number): number {
    let n = 0;
    let j = from;
    for (; j < limit; j++) {
      const c = buf[j]!;
      if (c < ZERO || c > NINE) break;
      n = n * 10 + (c - ZERO);
    }
    this.#digitsEnd = j;
    return n;
  }

  // A status line that breaks the protocol, read whole as any line: `result` once it has ended
  // (-2, a size that is not one), or its error.
  #whole(buf: Buffer, start: number, limit: number, result: number): number {
    const size = super.read(buf, start, limit);
    if (size === INCOMPLETE || result !== MALFORMED_O) return size === INCOMPLETE ? size : result;
    throw this.malformed('a malformed O flag');
  }

  /**
   * The number after the return flag `letter` (e.g. `f` in `VA 3 f42`, `t` in `HD t-1`), or
   * undefined when the line has no such flag. A flag that is not a number fails the connection.
   */
  flag(letter: number): number | undefined {
    if (letter !== F || !this.#scanned) return this.#find(letter);
    if (this.#fState === F_READ) return this.#f;
    if (this.#fState === F_NONE) return undefined;
    throw this.malformed('a malformed f flag');
  }

  /** Whether the line carries the bare flag `letter` (W, X, Z). */
  has(letter: number): boolean {
    if (this.#scanned) {
      if (letter === W) return (this.#bare & BARE_W) !== 0;
      if (letter === X) return (this.#bare & BARE_X) !== 0;
      if (letter === Z) return (this.#bare & BARE_Z) !== 0;
    }
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
