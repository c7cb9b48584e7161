import { describe, expect, it } from 'vitest';
import { writeDecimal } from '../../../src/transport/writeAscii';

const EDGES = [0, 1, 9, 10, 99, 100, 12_345, 99_999, 100_000, 2 ** 31 - 1, 2 ** 31, 4_000_000_000, 2 ** 32 - 1];

describe('writeDecimal', () => {
  it.each(EDGES)('writes %d as its decimal digits, at the offset given, and returns where they end', (n) => {
    const buf = Buffer.alloc(16, '.');
    const end = writeDecimal(buf, 3, n);
    expect(buf.toString('latin1', 3, end)).toBe(String(n));
    expect(buf.toString('latin1', 0, 3)).toBe('...');
    expect(buf.toString('latin1', end)).toBe('.'.repeat(16 - end));
  });

  it('writes every power of ten and its predecessor up to 10^9', () => {
    for (let p = 1; p <= 1e9; p *= 10) {
      for (const n of [p - 1, p, p + 1]) {
        const buf = Buffer.alloc(12);
        expect(buf.toString('latin1', 0, writeDecimal(buf, 0, n))).toBe(String(n));
      }
    }
  });
});
