import { type ContinuumPoint, continuumPicker, pointLabel } from './continuum';
import type { ServerPicker, WeightedServer } from './Distribution';
import { md5, md5Word } from './md5';

/** Points on the continuum per server when all weights are equal (40 MD5 digests x 4 points). */
const POINTS_PER_SERVER = 160;
const POINTS_PER_DIGEST = 4;

/**
 * Ketama consistent hashing, the variant libmemcached implements as MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED
 * (pylibmc `behaviors={'ketama_weighted': True}`, php-memcached `Memcached::OPT_LIBKETAMA_COMPATIBLE`),
 * which is libketama's algorithm:
 *
 * - Server `i` gets `floor(w_i / W * 40 * n) * 4` points (n servers, W the sum of weights; computed
 *   in 32-bit floats as libmemcached does): 160 each when the weights are equal.
 * - Point group `d` (0-based) of a server is the MD5 of `host-d` when its port is 11211, else of
 *   `host:port-d`, with `host` exactly as configured (a name is not resolved; IPv6 without brackets).
 *   Each 16-byte digest gives 4 points: its 4-byte words read little-endian.
 * - A key hashes to the first 4 bytes of MD5(key), little-endian, and belongs to the server of the
 *   first point >= that hash, wrapping to the lowest point. Equal points (rare: about 1 in 10^5
 *   rings of 3 servers) go to the server listed first.
 *
 * The original libketama C library hashes `host:port-d` whatever the port; libmemcached drops
 * `:11211`. This follows libmemcached, the one pylibmc and php-memcached use (docs/cluster.md).
 */
export function ketama(servers: readonly WeightedServer[]): ServerPicker {
  if (servers.length === 1) return () => 0;
  return continuumPicker(weightedPoints(servers), md5Word);
}

/**
 * libmemcached's weighted continuum (`memcached_is_weighted_ketama`): each server's point groups,
 * four points per MD5 digest. Also the continuum of 'ketama-unweighted' once a weight is above 1.
 */
export function weightedPoints(servers: readonly WeightedServer[]): ContinuumPoint[] {
  const total = servers.reduce((sum, server) => sum + server.weight, 0);
  const points: ContinuumPoint[] = [];
  servers.forEach((server, index) => {
    const count = pointsFor(server.weight, total, servers.length);
    for (let group = 0; group < count / POINTS_PER_DIGEST; group++) {
      const digest = md5(pointLabel(server, group));
      for (let word = 0; word < POINTS_PER_DIGEST; word++) {
        points.push({ value: digest.readUInt32LE(word * 4), server: index });
      }
    }
  });
  return points;
}

/**
 * libmemcached's `floorf(pct * 160 / 4 * n + 0.0000000001) * 4` with `pct = (float)w / (float)W`,
 * evaluated step by step in single precision (Math.fround), so that a weight ratio whose float
 * product lands a hair under a whole number gets the same count as in C.
 */
export function pointsFor(weight: number, totalWeight: number, servers: number): number {
  const f = Math.fround;
  const pct = f(f(weight) / f(totalWeight));
  const groups = f(f(f(pct * POINTS_PER_SERVER) / POINTS_PER_DIGEST) * f(servers));
  return Math.floor(f(groups + 0.0000000001)) * POINTS_PER_DIGEST;
}
