import type { Item } from '../api/Item';
import type { ServerAddress } from '../config/parseServers';

/**
 * The narrow port the facade talks to: one connection to one server. The memjs
 * adapter is the real one; tests swap in fakes to make a fault exact. Every method rejects with the
 * underlying error; the facade decides what counts.
 */
export interface MemcachedPort {
  get(key: string): Promise<Item | undefined>;
  /** Only the hits are in the map. */
  getMulti(keys: readonly string[]): Promise<Map<string, Item>>;
  /** Resolves when stored; rejects with a `ServerError` when memcached refuses. */
  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void>;
  /** Resolves true when the key was deleted, false when it was not there. */
  delete(key: string): Promise<boolean>;
  /** Asks the server for its version; resolves when it answered. */
  ping(): Promise<void>;
  /** Closes every socket now and fails the calls still pending on them. Idempotent. */
  close(): void;
  /**
   * Chunks of bytes received so far on this port's sockets (monotonic, never reset): lets the
   * engine tell a silent connection from a busy caller (issue 11 #1).
   */
  readonly received: number;
}

/**
 * Builds a new, not yet connected, port to `server`. Called once per server when it joins and once
 * per reconnect probe of that server.
 */
export type PortFactory = (server: ServerAddress) => MemcachedPort;
export type { Item } from '../api/Item';
