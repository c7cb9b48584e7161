import { type ContinuumPoint, continuumPicker, pointLabel } from './continuum';
import type { ServerPicker, WeightedServer } from './Distribution';
import { weightedPoints } from './ketama';
import { oneAtATime } from './oneAtATime';

/** MEMCACHED_POINTS_PER_SERVER: points per server on libmemcached's unweighted continuum. */
const POINTS_PER_SERVER = 100;

/**
 * Consistent hashing as libmemcached builds it for MEMCACHED_BEHAVIOR_KETAMA without weighting:
 * pylibmc `behaviors={'ketama': True}` (MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA), the setting most
 * pylibmc users have. From libmemcached's hosts.cc `update_continuum` and hash.cc:
 *
 * - Each server gets 100 points; point `d` (0..99) is the one-at-a-time hash of `host-d` on port
 *   11211, else `host:port-d` (one point per hash, not four per MD5 digest as in 'ketama').
 * - A key hashes with one-at-a-time too (the behavior leaves libmemcached's default key hash), and
 *   belongs to the server of the first point >= that hash, wrapping to the lowest point.
 * - A server of weight > 1 switches libmemcached to its weighted continuum (hosts.cc `server_add`
 *   marks the client weighted when the distribution is already consistent, as pylibmc's order makes
 *   it): the points of 'ketama' (MD5), while keys keep the one-at-a-time hash.
 *
 * Checked key for key against pylibmc's own answers (test/vectors/ketama-unweighted.json).
 */
export function ketamaUnweighted(servers: readonly WeightedServer[]): ServerPicker {
  if (servers.length === 1) return () => 0;
  const weighted = servers.some((server) => server.weight > 1);
  return continuumPicker(weighted ? weightedPoints(servers) : unweightedPoints(servers), oneAtATime);
}

function unweightedPoints(servers: readonly WeightedServer[]): ContinuumPoint[] {
  const points: ContinuumPoint[] = [];
  servers.forEach((server, index) => {
    for (let group = 0; group < POINTS_PER_SERVER; group++) {
      points.push({ value: oneAtATime(pointLabel(server, group)), server: index });
    }
  });
  return points;
}
