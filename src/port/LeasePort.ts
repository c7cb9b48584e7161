import type { MemcachedPort } from './MemcachedPort';

/**
 * The client flags of `fetch`'s placeholder over meta (docs/fetch.md): an empty item with these
 * flags is a key being loaded, not a value, and every adapter's reads answer it as a miss. The
 * classic text and binary protocols show none of memcached's lease flags, so the item itself must
 * say what it is; memcached's own miss placeholder (`mg ... N`) carries flags 0 and cannot.
 */
export const PLACEHOLDER_FLAGS = 0xffff_ffff;

/** Whether an item read is `fetch`'s placeholder (empty, with `PLACEHOLDER_FLAGS`). */
export function isPlaceholderItem(value: Buffer, flags: number): boolean {
  return value.length === 0 && flags === PLACEHOLDER_FLAGS;
}

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
   * Reads `key` with memcached's leases: on a miss the caller adds an empty placeholder
   * (`PLACEHOLDER_FLAGS`) for `vivifySeconds`, and the one whose add is stored wins (the others see
   * `pending`); with `recacheSeconds`, one caller wins once the item has fewer seconds left than
   * that. Undefined for a miss that left no placeholder (none could be made): nobody won, and
   * nobody waits on it.
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
