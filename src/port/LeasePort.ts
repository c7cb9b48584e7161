import type { MemcachedPort } from './MemcachedPort';

/**
 * What a read-through `mg` answers over the meta protocol (docs/meta-protocol.md): the item, and
 * memcached's flags that say who refreshes it.
 */
export interface Lease {
  /** The stored bytes (empty for the placeholder memcached made on a miss). */
  readonly value: Buffer;
  readonly flags: number;
  readonly cas: bigint;
  /** `W`: this caller won the right to (re)fill the item; no one else did. */
  readonly win: boolean;
  /** `X`: the item was invalidated; the value is the stale one. */
  readonly stale: boolean;
  /** `Z`: another caller already won, and is (re)filling the item. */
  readonly pending: boolean;
}

/**
 * The commands a port needs for stampede protection across processes (meta protocol only): the
 * memjs port has none of them, and `fetch` then falls back to single flight in the process.
 */
export interface LeasePort {
  /**
   * Reads `key` with memcached's leases: on a miss memcached stores an empty placeholder for
   * `vivifySeconds` and the first caller wins (the others see `pending`); with `recacheSeconds`,
   * one caller wins once the item has fewer seconds left than that. Undefined for a miss that left
   * no placeholder (memcached could not make one): nobody won, and nobody waits on it.
   */
  lease(key: string, vivifySeconds: number, recacheSeconds: number | undefined): Promise<Lease | undefined>;
  /** Deletes `key` only if its CAS value is still `cas` (a winner giving its placeholder back). */
  release(key: string, cas: bigint): Promise<void>;
  /** Marks the item stale and makes it expire in `staleSeconds`; false when there was no item. */
  invalidate(key: string, staleSeconds: number): Promise<boolean>;
}

/** Whether `port` speaks memcached's leases (the meta port does). */
export function isLeasePort(port: MemcachedPort): port is MemcachedPort & LeasePort {
  return typeof (port as Partial<LeasePort>).lease === 'function';
}
