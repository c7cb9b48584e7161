import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, modula, tableCrc32 } from '../../../src/distribution/modula';
import vectors from '../../vectors/modula.json';

const servers = (n: number) => Array.from({ length: n }, (_, i) => ({ host: `h${i}`, port: 11211, weight: 1 }));

describe('modula: crc32(key) % n, as gomemcache picks a server', () => {
  it('uses CRC-32/IEEE: the published check value of "123456789" is 0xCBF43926', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(tableCrc32('123456789')).toBe(0xcbf43926);
  });

  it('the JavaScript fallback equals zlib on any string, hashed as UTF-8', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (s) => tableCrc32(s) === crc32(s)));
  });

  // modula.json was written by test/vectors/generate.py with Python's zlib.crc32.
  it.each(Object.entries(vectors.owners))('agrees with Python zlib.crc32 %% %s', (n, owners) => {
    const pick = modula(servers(Number(n)));
    expect(vectors.keys.map((key) => pick(key))).toEqual(owners);
  });

  it('a server of weight w fills w buckets', () => {
    const pick = modula([
      { host: 'a', port: 1, weight: 1 },
      { host: 'b', port: 1, weight: 2 },
    ]);
    for (const key of vectors.keys) expect(pick(key)).toBe([0, 1, 1][crc32(key) % 3]);
  });

  it('one server owns every key', () => {
    const pick = modula(servers(1));
    expect(vectors.keys.every((key) => pick(key) === 0)).toBe(true);
  });
});
