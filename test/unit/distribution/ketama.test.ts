import fc from 'fast-check';
import HashRing from 'hashring';
import { describe, expect, it } from 'vitest';
import { formatServer } from '../../../src/config/parseServers';
import type { WeightedServer } from '../../../src/distribution/Distribution';
import { ketama, pointsFor } from '../../../src/distribution/ketama';
import { md5, md5Word } from '../../../src/distribution/md5';
import vectors from '../../vectors/ketama.json';

// ketama.json was written by test/vectors/generate.py from libmemcached itself
// (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED), the library under pylibmc and php-memcached.
describe('ketama agrees with libmemcached', () => {
  it.each(vectors.rings.map((ring) => [ring.name, ring] as const))('%s', (_, ring) => {
    const pick = ketama(ring.servers);
    const got = vectors.keys.map((key) => pick(key));
    expect(got).toEqual(ring.owners);
    // Every server owns some of the keys: the vectors exercise each one.
    expect(new Set(got).size).toBe(ring.servers.length);
  });
});

describe('ketama agrees with the hashring npm package (an independent implementation)', () => {
  // hashring computes the point count in doubles: floor(1/7 * 40 * 7) is 39 there but 40 in
  // libmemcached's floats, so rings where the two roundings differ are left out; and its address
  // parser does not read bare IPv6 hosts.
  const doubleCount = (w: number, total: number, n: number) => Math.floor((w / total) * 40 * n) * 4;
  const sameRounding = (servers: readonly WeightedServer[]) => {
    const total = servers.reduce((sum, s) => sum + s.weight, 0);
    return servers.every(
      (s) => doubleCount(s.weight, total, servers.length) === pointsFor(s.weight, total, servers.length),
    );
  };
  const hashring = (servers: readonly WeightedServer[]) => {
    const ids = servers.map(formatServer);
    const ring = new HashRing(Object.fromEntries(ids.map((id, i) => [id, servers[i]!.weight])), 'md5', {
      'default port': 11211,
    });
    // Its own hash and ring search, not get(): get() first asks an LRU cache kept in a plain object,
    // which answers Object.prototype members for keys such as "valueOf".
    return (key: string) => ids.indexOf(ring.ring[ring.find(ring.hashValue(key))]!.server);
  };

  it('on the libmemcached rings where both roundings agree', () => {
    const rings = vectors.rings.filter((ring) => sameRounding(ring.servers) && !ring.name.includes('IPv6'));
    expect(rings.length).toBe(4);
    for (const ring of rings) {
      const theirs = hashring(ring.servers);
      expect(vectors.keys.map((key) => theirs(key))).toEqual(ring.owners);
    }
  });

  it('on random rings and keys', () => {
    const server = fc.record({
      host: fc.constantFrom('10.0.0.1', '10.0.0.2', 'cache.example', 'mc-7', '192.168.1.20'),
      port: fc.constantFrom(11211, 11212, 22122),
      weight: fc.integer({ min: 1, max: 9 }),
    });
    const ring = fc
      .uniqueArray(server, { minLength: 2, maxLength: 9, selector: (s) => `${s.host}:${s.port}` })
      .filter(sameRounding);
    const keys = fc.array(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(ring, keys, (servers, sample) => {
        const ours = ketama(servers);
        const theirs = hashring(servers);
        for (const key of sample) expect(ours(key)).toBe(theirs(key));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ketama: the properties consistent hashing is chosen for', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `user:${i}`);
  const servers = (n: number, weight = () => 1): WeightedServer[] =>
    Array.from({ length: n }, (_, i) => ({ host: `10.1.0.${i + 1}`, port: 11211, weight: weight() }));

  it('adding a fourth server moves only keys to it, about a quarter of them', () => {
    const three = servers(3);
    const four = [...three, { host: '10.1.0.99', port: 11211, weight: 1 }];
    const onThree = ketama(three);
    const onFour = ketama(four);
    let moved = 0;
    for (const key of keys) {
      const a = onThree(key);
      const b = onFour(key);
      if (a === b) continue;
      moved++;
      expect(b).toBe(3);
    }
    expect(moved / keys.length).toBeGreaterThan(0.15);
    expect(moved / keys.length).toBeLessThan(0.35);
  });

  it('removing a server moves only that server’s keys', () => {
    const four = servers(4);
    const withAll = ketama(four);
    const withoutThird = ketama([four[0]!, four[1]!, four[3]!]);
    const index = [0, 1, 3];
    for (const key of keys) {
      const owner = withAll(key);
      if (owner !== 2) expect(index[withoutThird(key)]).toBe(owner);
    }
  });

  it('a server of weight 2 gets about twice the keys of one of weight 1', () => {
    const ring: WeightedServer[] = [
      { host: 'a', port: 11211, weight: 1 },
      { host: 'b', port: 11211, weight: 1 },
      { host: 'c', port: 11211, weight: 2 },
    ];
    const pick = ketama(ring);
    const counts = [0, 0, 0];
    for (const key of keys) counts[pick(key)]!++;
    expect(counts[2]! / keys.length).toBeGreaterThan(0.4);
    expect(counts[2]! / keys.length).toBeLessThan(0.6);
    expect(counts[0]! + counts[1]!).toBeGreaterThan(0.4 * keys.length);
  });

  it('one server owns every key without hashing', () => {
    const pick = ketama(servers(1));
    expect(keys.slice(0, 100).every((key) => pick(key) === 0)).toBe(true);
  });
});

describe('md5Word: the key hash', () => {
  it('is the first digest word, little-endian: RFC 1321 gives MD5("") = d41d8cd9...', () => {
    expect(md5('').toString('hex')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Word('')).toBe(0xd98c1dd4);
    expect(md5Word('abc')).toBe(0x98500190); // MD5("abc") = 900150983cd24fb0...
  });

  it('equals the digest Buffer read little-endian for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 64 }), (s) => md5Word(s) === md5(s).readUInt32LE(0)),
    );
  });
});

describe('pointsFor: libmemcached’s point count, in 32-bit floats', () => {
  it('gives 160 points to each of n equal servers, but 156 where the floats round down', () => {
    const short = [];
    for (let n = 1; n <= 64; n++) {
      const points = pointsFor(1, n, n);
      if (points !== 160) short.push([n, points]);
    }
    // The rings of 7 and 25 servers in ketama.json pin both directions against libmemcached.
    expect(short).toEqual([
      [25, 156],
      [47, 156],
      [50, 156],
      [55, 156],
      [61, 156],
    ]);
  });

  it('differs from the naive double computation both ways', () => {
    expect(Math.floor((1 / 7) * 40 * 7) * 4).toBe(156);
    expect(pointsFor(1, 7, 7)).toBe(160);
    expect(Math.floor((1 / 25) * 40 * 25) * 4).toBe(160);
    expect(pointsFor(1, 25, 25)).toBe(156);
  });

  it('scales with weight: 1, 2 and 5 out of 8 over three servers', () => {
    expect([1, 2, 5].map((w) => pointsFor(w, 8, 3))).toEqual([60, 120, 300]);
  });
});
