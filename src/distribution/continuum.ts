import type { ServerPicker, WeightedServer } from './Distribution';

/** memcached's default port: libmemcached leaves it out of the string it hashes for a server. */
const DEFAULT_PORT = 11211;

/** One point of a ketama continuum: a 32-bit position and the index of the server it belongs to. */
export interface ContinuumPoint {
  readonly value: number;
  readonly server: number;
}

/**
 * How libmemcached names a server's point group `group` before hashing it: `host-group` on port
 * 11211, else `host:port-group`, with `host` exactly as configured (not resolved; IPv6 bare).
 */
export function pointLabel(server: WeightedServer, group: number): string {
  return server.port === DEFAULT_PORT ? `${server.host}-${group}` : `${server.host}:${server.port}-${group}`;
}

/**
 * The picker over a continuum: a key belongs to the server of the first point >= the key's hash,
 * wrapping to the lowest point. Equal points keep server-list order (Array.prototype.sort is
 * stable), as libmemcached's comparator orders them by server index.
 */
export function continuumPicker(points: ContinuumPoint[], hashKey: (key: string) => number): ServerPicker {
  points.sort((a, b) => a.value - b.value);
  const values = Uint32Array.from(points, (point) => point.value);
  const owners = Uint32Array.from(points, (point) => point.server);
  return (key) => owners[firstAtOrAbove(values, hashKey(key))] as number;
}

/** The index of the first value >= `hash`, or 0 when every value is below it (the ring wraps). */
function firstAtOrAbove(values: Uint32Array, hash: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < hash) low = middle + 1;
    else high = middle;
  }
  return low === values.length ? 0 : low;
}
