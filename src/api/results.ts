import type { ReconnectingMemcachedError } from '../core/errors';
import type { Item } from './Item';

/**
 * Why a call answered not-ok. The caller treats every one like a cache miss.
 * - `reconnecting`: the key's server is healing; no I/O was done.
 * - `closed`: `close()` was called, or the key's server was removed by `setServers` while the call ran.
 * - `timeout`: no answer within `timeoutMs` (counts toward healing, unless the client's own process
 *   was late: its event loop held while the connection had bytes waiting; docs/reliability.md).
 * - `connection`: the socket failed (counts toward healing).
 * - `server`: memcached refused the request, e.g. value too large (does not count).
 * - `aborted`: the call's `signal` aborted (does not count; the connection stays as it is).
 */
export type NotOkReason = 'reconnecting' | 'closed' | 'timeout' | 'connection' | 'server' | 'aborted';

export interface NotOk {
  readonly ok: false;
  readonly reason: NotOkReason;
  /** For `timeout`, `connection` and `server`: a `TimeoutError`, `ConnectionError` or `ServerError`. */
  readonly error?: ReconnectingMemcachedError;
}

export type GetResult = { readonly ok: true; readonly item: Item | undefined } | NotOk;
/**
 * `items` holds the hits. `unavailable` lists the keys whose server was down or failed: treat them
 * as misses. Not-ok only when no server answered (with one server: exactly when it failed).
 */
export type GetMultiResult =
  | { readonly ok: true; readonly items: Map<string, Item>; readonly unavailable: readonly string[] }
  | NotOk;

// Not-ok answers that involve no I/O are shared, frozen, and carry no Error: building a stack trace
// per call would cost more than the rest of the fast path.
export const RECONNECTING: NotOk = Object.freeze({ ok: false, reason: 'reconnecting' });
export const CLOSED: NotOk = Object.freeze({ ok: false, reason: 'closed' });
export const ABORTED: NotOk = Object.freeze({ ok: false, reason: 'aborted' });
/** An empty key list (`unavailable` when every server answered), shared and frozen. */
export const NO_KEYS: readonly string[] = Object.freeze([]);
