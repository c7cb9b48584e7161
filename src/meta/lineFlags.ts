import { MINUS, NINE, SPACE, ZERO } from '../connection/asciiCodes';
import type { LineResponse } from '../connection/LineResponse';

/** Digits of a number the client reads from a line: up to 2^32 and a little more, no further. */
export const MAX_DIGITS = 10;

// A meta line's return flags read when asked, from its bytes (MetaResponse reads the hot ones as
// the line arrives): a flag that is not a number fails the connection.

/** The number after the return flag `letter` in `line` (signed, e.g. `t-1`), or undefined without one. */
export function findFlag(line: LineResponse, letter: number): number | undefined {
  const { buf, end } = line;
  for (let i = line.start + 2; i < end; i++) {
    if (buf[i] !== SPACE || buf[i + 1] !== letter) continue;
    let j = i + 2;
    const negative = buf[j] === MINUS;
    if (negative) j++;
    const first = j;
    let n = 0;
    for (; j < end && buf[j] !== SPACE; j++) {
      const c = buf[j]!;
      if (c < ZERO || c > NINE) throw malformedFlag(line, letter);
      n = n * 10 + (c - ZERO);
    }
    if (j === first || j - first > MAX_DIGITS) throw malformedFlag(line, letter);
    return negative ? -n : n;
  }
  return undefined;
}

/** The digits after flag `letter` in `line` as a bigint (CAS values exceed 2^53), or undefined. */
export function findBigFlag(line: LineResponse, letter: number): bigint | undefined {
  const text = line.line;
  const at = text.indexOf(` ${String.fromCharCode(letter)}`);
  if (at < 0) return undefined;
  const stop = text.indexOf(' ', at + 2);
  const digits = text.slice(at + 2, stop < 0 ? text.length : stop);
  if (!/^\d{1,20}$/.test(digits)) throw malformedFlag(line, letter);
  return BigInt(digits);
}

function malformedFlag(line: LineResponse, letter: number): Error {
  return line.malformed(`a malformed ${String.fromCharCode(letter)} flag`);
}
