import { CR, LF, MINUS, NINE, SPACE, ZERO } from '../connection/asciiCodes';
import { code, INCOMPLETE, LineResponse } from '../connection/LineResponse';
import { MISSING_ID, NO_ID } from '../connection/WireRequest';
import { findBigFlag, findFlag, MAX_DIGITS } from './lineFlags';

export { code };

const O = 0x4f;
const F = 0x66; // f: client flags
const W = 0x57;
const X = 0x58;
const Z = 0x5a;
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
// What the fast read of a status line answers for a line it leaves to `scan`.
const UNUSUAL = -4;

/** Whether `status` is one of the meta statuses whose lines carry the request's opaque back. */
function carriesOpaque(status: number): boolean {
  return status === VA || status === HD || status === EN || status === NF || status === NS || status === EX;
}

/** The bit of a bare flag the one pass notes (W, X, Z), 0 for any other letter. */
function bareBit(letter: number | undefined): number {
  return letter === W ? BARE_W : letter === X ? BARE_X : letter === Z ? BARE_Z : 0;
}

/**
 * One response of memcached's meta protocol, as the reader hands it out (LineResponse), with the
 * opaque its status line carries back as its id and the flags that follow its status.
 */
export class MetaResponse extends LineResponse {
  // What a status line's one pass noted of its flags, for the hot reads of a get's answer (`f`, W,
  // X, Z): the other flags are looked for when asked.
  #scanned = false;
  #bare = 0;
  #fState = F_NONE;
  #f = 0;
  #digitsEnd = 0;

  /**
   * A meta status line in the form memcached writes (single spaces, a number after O and f, CR LF)
   * is read while its end is looked for: the line's bytes are walked once, not twice; a get's hit
   * in the exact form the hot get asks for is read without looking for its tokens. Any other line,
   * or anything unusual in one, is read as every line is, then by `scan`.
   */
  override read(buf: Buffer, start: number, limit: number): number {
    if (start + 2 < limit) {
      const status = (buf[start]! << 8) | buf[start + 1]!;
      if (status === VA) {
        const size = this.#readHit(buf, start, limit);
        if (size !== UNUSUAL) return size;
      }
      if (carriesOpaque(status)) {
        const size = this.#readUsual(buf, start, limit, status);
        if (size !== UNUSUAL) return size;
      }
    }
    return super.read(buf, start, limit);
  }

  // The hot get's hit as memcached answers `mg <key> v f O<id>` (flags in the order asked):
  // `VA <size> f<flags> O<id>\r\n`. Anything else, or a line cut short, is left to #readUsual.
  #readHit(buf: Buffer, start: number, limit: number): number {
    if (buf[start + 2] !== SPACE) return UNUSUAL;
    const size = this.#digits(buf, start + 3, limit);
    let i = this.#digitsEnd;
    if (i === start + 3 || i - start - 3 > MAX_DIGITS || buf[i] !== SPACE || buf[i + 1] !== F) return UNUSUAL;
    const f = this.#digits(buf, i + 2, limit);
    const fAt = i + 2;
    i = this.#digitsEnd;
    if (i === fAt || i - fAt > MAX_DIGITS || buf[i] !== SPACE || buf[i + 1] !== O) return UNUSUAL;
    const id = this.#digits(buf, i + 2, limit);
    const idAt = i + 2;
    i = this.#digitsEnd;
    if (i === idAt || i - idAt > MAX_DIGITS || i + 1 >= limit || buf[i] !== CR || buf[i + 1] !== LF) return UNUSUAL;
    this.take(buf, start, i, i + 2);
    this.id = id;
    this.#scanned = true;
    this.#bare = 0;
    this.#fState = F_READ;
    this.#f = f;
    return size;
  }

  // `c` is the byte at `i`: where a token ends. Token bytes are all above SPACE.
  #readUsual(buf: Buffer, start: number, limit: number, status: number): number {
    let i = start + 2;
    let c = buf[i]!;
    let size = -1;
    if (status === VA) {
      if (c !== SPACE) return UNUSUAL;
      size = this.#digits(buf, i + 1, limit);
      const j = this.#digitsEnd;
      if (j === i + 1 || j - i - 1 > MAX_DIGITS) return j >= limit ? INCOMPLETE : UNUSUAL;
      i = j;
      c = i < limit ? buf[i]! : 0;
    }
    let id = MISSING_ID;
    let bare = 0;
    let f = -1;
    while (c === SPACE && i + 2 < limit) {
      const letter = buf[i + 1]!;
      if (letter <= SPACE) return UNUSUAL;
      let j = i + 2;
      if (letter === O || letter === F) {
        const n = this.#digits(buf, j, limit);
        j = this.#digitsEnd;
        if (j === i + 2 || j - i - 2 > MAX_DIGITS) return j >= limit ? INCOMPLETE : UNUSUAL;
        if (letter === F) f = f < 0 ? n : f;
        else if (id === MISSING_ID) id = n;
      } else {
        while (j < limit && buf[j]! > SPACE) j++;
        if (j === i + 2) bare |= bareBit(letter);
      }
      i = j;
      c = i < limit ? buf[i]! : 0;
    }
    // Nothing before `i` was a LF: every loop stops at one.
    if (c === LF) return UNUSUAL;
    if (i + 1 >= limit) return INCOMPLETE;
    if (c !== CR || buf[i + 1] !== LF) return UNUSUAL;
    this.take(buf, start, i, i + 2);
    this.id = id;
    this.#scanned = true;
    this.#bare = bare;
    this.#fState = f < 0 ? F_NONE : F_READ;
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

  /**
   * Reads the line in one pass: a meta status line's opaque as `id` (MISSING_ID without one; other
   * lines NO_ID), the size of a `VA` line's value, the client flags and the bare flags W, X and Z.
   */
  protected override scan(): number {
    const buf = this.buf;
    const start = this.start;
    const end = this.end;
    const status = this.code;
    this.#bare = 0;
    this.#fState = F_NONE;
    const tagged = carriesOpaque(status) && (end - start === 2 || buf[start + 2] === SPACE);
    this.#scanned = tagged;
    if (!tagged) {
      this.id = NO_ID;
      // `VA` must be followed by its size.
      return status === VA ? -2 : -1;
    }
    // `i` is at the space before a token (the first: the one after the status).
    let i = start + 2;
    let size = -1;
    if (status === VA) {
      // The value's size: 1 to 10 digits, up to a space or the line's end.
      size = this.#digits(buf, i + 1, end);
      const j = this.#digitsEnd;
      if (j === i + 1 || j - i - 1 > MAX_DIGITS || (j < end && buf[j] !== SPACE)) return -2;
      i = j;
    }
    let id = MISSING_ID;
    while (i < end) {
      const letter = buf[i + 1];
      let j = i + 1;
      if (letter === O || letter === F) {
        // A number: the opaque (unsigned), or the client flags (signed, as `#find` reads them).
        j++;
        const negative = letter === F && buf[j] === MINUS;
        if (negative) j++;
        const first = j;
        const n = this.#digits(buf, first, end);
        j = this.#digitsEnd;
        const number = j !== first && j - first <= MAX_DIGITS && (j === end || buf[j] === SPACE);
        while (j < end && buf[j] !== SPACE) j++;
        if (letter === O) {
          if (!number) throw this.malformed('a malformed O flag');
          if (id === MISSING_ID) id = n;
        } else if (this.#fState === F_NONE) {
          // A malformed `f` fails the connection when read.
          this.#fState = number ? F_READ : F_MALFORMED;
          this.#f = negative ? -n : n;
        }
      } else {
        while (j < end && buf[j] !== SPACE) j++;
        if (j === i + 2) this.#bare |= bareBit(letter);
      }
      i = j;
    }
    this.id = id;
    return size;
  }

  /**
   * The number after the return flag `letter` (e.g. `f` in `VA 3 f42`, `t` in `HD t-1`), or
   * undefined when the line has no such flag. A flag that is not a number fails the connection.
   */
  flag(letter: number): number | undefined {
    if (letter !== F || !this.#scanned) return findFlag(this, letter);
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
    return findBigFlag(this, letter);
  }
}
