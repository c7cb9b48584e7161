import type { MemcachedPort } from '../port/MemcachedPort';

/**
 * What the engine needs of one server to run a call on it (implemented by src/pool/ServerConnection).
 * Read on every call, so plain fields and cheap methods.
 */
export interface CallTarget {
  /** The server's id (`host:port`, never with credentials). */
  readonly id: string;
  /** The current connection; undefined exactly while the server is reconnecting or closed. */
  readonly port: MemcachedPort | undefined;
  /** The connection epoch a call starts on: its result is reported with it. */
  readonly generation: number;
  /** False once the server's connection actor has stopped (closed, or removed by `setServers`). */
  readonly active: boolean;
  /** A call of `generation` got an answer from memcached (a miss and a refusal count). */
  succeeded(generation: number): void;
  /** `count` calls (default 1) of `generation` failed at the connection level. */
  failed(generation: number, count?: number): void;
}
