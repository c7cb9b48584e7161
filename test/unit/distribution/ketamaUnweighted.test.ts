import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WeightedServer } from '../../../src/distribution/Distribution';
import { ketama } from '../../../src/distribution/ketama';
import { ketamaUnweighted } from '../../../src/distribution/ketamaUnweighted';
import { oneAtATime } from '../../../src/distribution/oneAtATime';
import vectors from '../../vectors/ketama-unweighted.json';

// ketama-unweighted.json was written by test/vectors/generate.py from pylibmc itself with
// behaviors={'ketama': True}: Client.hash() is libmemcached's memcached_generate_hash.
describe("ketama-unweighted agrees with pylibmc's behaviors={'ketama': True}", () => {
  it.each(vectors.rings.map((ring) => [ring.name, ring] as const))('%s', (_, ring) => {
    const pick = ketamaUnweighted(ring.servers);
    const got = vectors.keys.map((key) => pick(key));
    expect(got).toEqual(ring.owners);
    expect(new Set(got).size).toBe(ring.servers.length);
  });

  it("places keys elsewhere than 'ketama' on the same servers", () => {
    const ring = vectors.rings[1]!;
    const weighted = ketama(ring.servers);
    const differ = vectors.keys.filter((key, i) => weighted(key) !== ring.owners[i]).length;
    expect(differ / vectors.keys.length).toBeGreaterThan(0.4);
  });
});

describe("oneAtATime: libhashkit's default key hash", () => {
  it.each(Object.entries(vectors.oneAtATime))('%j', (key, hash) => {
    expect(oneAtATime(key)).toBe(hash);
  });

  it('reads bytes >= 0x80 sign-extended, as the signed char in libhashkit does', () => {
    // The unsigned reading gives 2928017647 for "é" (C3 A9); libhashkit gives this one.
    expect(oneAtATime('é')).toBe(26298542);
  });

  it('is a 32-bit unsigned number for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (s) => {
        const h = oneAtATime(s);
        return Number.isInteger(h) && h >= 0 && h < 2 ** 32;
      }),
    );
  });
});

describe('ketama-unweighted: consistent hashing', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `user:${i}`);
  const servers = (n: number): WeightedServer[] =>
    Array.from({ length: n }, (_, i) => ({ host: `10.1.0.${i + 1}`, port: 11211, weight: 1 }));

  it('adding a fourth server moves only keys to it, about a quarter of them', () => {
    const three = servers(3);
    const onThree = ketamaUnweighted(three);
    const onFour = ketamaUnweighted([...three, { host: '10.1.0.99', port: 11211, weight: 1 }]);
    let moved = 0;
    for (const key of keys) {
      if (onThree(key) === onFour(key)) continue;
      moved++;
      expect(onFour(key)).toBe(3);
    }
    expect(moved / keys.length).toBeGreaterThan(0.1);
    expect(moved / keys.length).toBeLessThan(0.4);
  });

  it('one server owns every key without hashing', () => {
    const pick = ketamaUnweighted(servers(1));
    expect(keys.slice(0, 100).every((key) => pick(key) === 0)).toBe(true);
  });
});
