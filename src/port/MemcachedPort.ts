import type { Item } from '../api/Item';
import type { ServerAddress } from '../config/parseServers';
import type { KeyBytes } from '../core/KeyBytes';
import type { Outcome } from './Outcome';
import type { PortCommand } from './PortCommand';

/** Which store `store` makes: unconditional, only if absent, only if present. */
export type StoreMode = 'set' | 'add' | 'replace';

/**
 * memcached's own answers to a conditional store: successful round trips, never outages.
 * - `exists`: `add` of a present key, `cas` of an item someone else changed;
 * - `not_found`: `replace` or `cas` of an absent key;
 * - `not_stored`: `append`/`prepend` of an absent key.
 */
export type StoreStatus = 'stored' | 'exists' | 'not_found' | 'not_stored';

/** Which way a counter moves. */
export type CounterMode = 'incr' | 'decr';

/** An item on its way to memcached: the key as sent (prefix included), the value as bytes. */
export interface WireItem {
  readonly key: string;
  readonly value: Buffer;
  readonly flags: number;
  /** Seconds, memcached's meaning (0 never, up to 30 days relative, larger a Unix time). */
  readonly expiration: number;
}

/** An item with memcached's 64-bit CAS value, exactly (a bigint: a Number loses bits above 2^53). */
export interface CasItem extends Item {
  readonly cas: bigint;
}

/**
 * The narrow port the facade talks to: one connection to one server. The memjs adapter is the real
 * one; tests swap in fakes to make a fault exact. Every method rejects with the underlying error
 * (`ConnectionError`, `TimeoutError`, `ServerError`); the engine classifies. memcached's refusals
 * that are answers (exists, not found, not stored) resolve, never reject.
 */
export interface MemcachedPort {
  get(key: string): Promise<Item | undefined>;
  /**
   * Optional, for speed: `get`, its outcome delivered to `outcome` instead of a promise (Outcome.ts).
   * `kept`: the bytes the key's validation kept, which the request copies when they are `key`'s.
   */
  getInto?(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void;
  /** Resolves when stored; rejects with a `ServerError` when memcached refuses. */
  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void>;
  /**
   * Optional, for speed: `set` of `item`, its outcome delivered to `outcome` instead of a promise;
   * `kept` as `getInto`'s.
   */
  setInto?(item: WireItem, outcome: Outcome<void>, kept?: KeyBytes): void;
  /**
   * A command declared once for every protocol (`src/commands/`: the commands on one key, the
   * batches, flush, stats, version): the port runs its own protocol's part with `args`.
   * memcached's refusals that are answers (exists, not found, ...) resolve.
   */
  command<A, T>(command: PortCommand<A, T>, args: A): Promise<T>;
  /** The probe's round trip (a VERSION); resolves when the server answered. */
  ping(): Promise<void>;
  /** Closes every socket now and fails the calls still pending on them. Idempotent. */
  close(): void;
  /**
   * Chunks of bytes received so far on this port's sockets, and connects they completed
   * (monotonic, never reset): lets the engine tell a silent connection from a busy caller. A
   * connect counts: a call whose deadline passed while the caller held the event loop
   * before its socket had even connected says nothing about the server once the connect is in.
   */
  readonly received: number;
  /**
   * Optional. Every call the engine had on this port has given up while bytes kept arriving (a
   * message nobody waits for): drop the socket now; the next call opens a new one.
   * Nothing the engine still waits for is pending on it.
   */
  abandon?(): void;
}

/**
 * Builds a new, not yet connected, port to `server`. Called once per server when it joins and once
 * per reconnect probe of that server.
 */
export type PortFactory = (server: ServerAddress) => MemcachedPort;
export type { Item } from '../api/Item';
