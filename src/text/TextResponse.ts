import { NINE, SPACE, ZERO } from '../connection/asciiCodes';
import { code, LineResponse } from '../connection/LineResponse';

const VA = code('VA');
const EN = code('EN');
/** `VALUE `: the six bytes before a value line's key. */
const VALUE_PREFIX = 6;
const MAX_FLAGS = 0xffffffff;

/** Digits of a value's size: enough for any size under 2^32. */
const SIZE_DIGITS = 10;

/** The decimal number at `buf[at]` up to a space or `end`, or -2 when it is not 1 to 10 digits: a `VALUE` line's size. */
function sizeAt(buf: Buffer, at: number, end: number): number {
  let size = 0;
  let i = at;
  for (; i < end && buf[i] !== SPACE; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) return -2;
    size = size * 10 + (c - ZERO);
  }
  return i === at || i - at > SIZE_DIGITS ? -2 : size;
}

/** Whether `buf[start, end)` is a `VALUE <key> <flags> <bytes> [<cas>]` line (by its first word). */
export function isValueLine(buf: Buffer, start: number, end: number): boolean {
  return (
    end - start > VALUE_PREFIX &&
    ((buf[start]! << 8) | buf[start + 1]!) === VA &&
    buf[start + 2] === 0x4c &&
    buf[start + 3] === 0x55 &&
    buf[start + 4] === 0x45 &&
    buf[start + 5] === SPACE
  );
}

/** Where the space after the word at `at` is (or `end`). */
export function wordEnd(buf: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end && buf[i] !== SPACE) i++;
  return i;
}

/**
 * One answer of memcached's classic text protocol (LineResponse), which carries no request id. For
 * a `VALUE` line the reader has read the key's place, the client flags and where the CAS value is.
 */
export class TextResponse extends LineResponse {
  /** Whether the line is a `VALUE` line (its value is in `value`). */
  isValue = false;
  keyStart = 0;
  keyEnd = 0;
  flags = 0;
  /** Where the CAS value of a `gets` answer starts; -1 without one. */
  casStart = -1;

  /** Whether the line is `END`. */
  get isEnd(): boolean {
    return this.end - this.start === 3 && this.code === EN && this.buf[this.start + 2] === 0x44;
  }

  /** Whether the line is exactly `word` (an ASCII status: STORED, DELETED, ...). */
  is(word: string): boolean {
    const buf = this.buf;
    const start = this.start;
    if (this.end - start !== word.length) return false;
    for (let i = 0; i < word.length; i++) if (buf[start + i] !== word.charCodeAt(i)) return false;
    return true;
  }

  /**
   * Reads a `VALUE` line in one pass: its key's place, the client flags, the value's size and the
   * CAS value's place. Other lines are read when handled.
   */
  protected override scan(): number {
    const buf = this.buf;
    const end = this.end;
    this.isValue = isValueLine(buf, this.start, end);
    if (!this.isValue) return -1;
    const keyStart = this.start + VALUE_PREFIX;
    const keyEnd = wordEnd(buf, keyStart, end);
    let flags = 0;
    let i = keyEnd + 1;
    for (; i < end && buf[i] !== SPACE; i++) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) throw this.malformed('client flags that are not a number');
      flags = flags * 10 + (c - ZERO);
    }
    if (i === keyEnd + 1 || flags > MAX_FLAGS) throw this.malformed('client flags beyond 32 bits');
    const size = i + 1 < end ? sizeAt(buf, i + 1, end) : -2;
    const sizeEnd = wordEnd(buf, i + 1, end);
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.flags = flags;
    this.casStart = sizeEnd < end ? sizeEnd + 1 : -1;
    return size;
  }

  /** Whether the `VALUE` line's key is `key`, compared in place. */
  keyIs(key: string): boolean {
    const buf = this.buf;
    const start = this.keyStart;
    if (this.keyEnd - start !== key.length) return this.#utf8KeyIs(key);
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80) return this.#utf8KeyIs(key);
      if (buf[start + i] !== c) return false;
    }
    return true;
  }

  /** The `VALUE` line's CAS value (a bigint: it has 64 bits); a line without one is not a `gets` answer. */
  get cas(): bigint {
    const digits = this.casStart < 0 ? '' : this.buf.toString('latin1', this.casStart, this.end);
    if (!/^\d{1,20}$/.test(digits)) throw this.malformed('a value without a CAS value');
    return BigInt(digits);
  }

  #utf8KeyIs(key: string): boolean {
    return this.buf.toString('utf8', this.keyStart, this.keyEnd) === key;
  }
}
