import type { DecodeError, ReconnectingMemcachedError } from '../core/errors';
import type { GetsItem, Item } from './Item';

/**
 * Why a call answered not-ok. The caller treats every one like a cache miss.
 * - `reconnecting`: the key's server is healing; no I/O was done.
 * - `closed`: `close()` was called, or the key's server was removed by `setServers` while the call ran.
 * - `timeout`: no answer within `timeoutMs` (counts toward healing, unless the client's own process
 *   was late: its event loop held while the connection had bytes waiting; docs/reliability.md).
 * - `connection`: the socket failed (counts toward healing).
 * - `server`: memcached refused the request, e.g. value too large (does not count).
 * - `decode`: memcached answered, but the codec could not decode the value (corrupt bytes, flags
 *   it does not read); `error` is a `DecodeError`. Does not count: the connection is healthy.
 * - `aborted`: the call's `signal` aborted (does not count; the connection stays as it is).
 */
export type NotOkReason = 'reconnecting' | 'closed' | 'timeout' | 'connection' | 'server' | 'decode' | 'aborted';

export interface NotOk {
  readonly ok: false;
  readonly reason: NotOkReason;
  /**
   * For `timeout`, `connection`, `server` and `decode`: a `TimeoutError`, `ConnectionError`,
   * `ServerError` or `DecodeError`.
   */
  readonly error?: ReconnectingMemcachedError;
}

export type GetResult<V = Buffer> = { readonly ok: true; readonly item: Item<V> | undefined } | NotOk;
/**
 * `items` holds the hits. `unavailable` lists the keys whose server was down or failed: treat them
 * as misses. Not-ok only when no server answered (with one server: exactly when it failed). A key
 * whose value the codec could not decode is left out of `items`, listed in `unavailable` too, and
 * its `DecodeError` is in `decodeErrors` (present only then).
 */
export type GetMultiResult<V = Buffer> =
  | {
      readonly ok: true;
      readonly items: Map<string, Item<V>>;
      readonly unavailable: readonly string[];
      readonly decodeErrors?: ReadonlyMap<string, DecodeError>;
    }
  | NotOk;

// Not-ok answers that involve no I/O are shared, frozen, and carry no Error: building a stack trace
// per call would cost more than the rest of the fast path.
export const RECONNECTING: NotOk = Object.freeze({ ok: false, reason: 'reconnecting' });
export const CLOSED: NotOk = Object.freeze({ ok: false, reason: 'closed' });
export const ABORTED: NotOk = Object.freeze({ ok: false, reason: 'aborted' });
/** An empty key list (`unavailable` when every server answered), shared and frozen. */
export const NO_KEYS: readonly string[] = Object.freeze([]);

/**
 * What a conditional store (`add`, `replace`, `append`, `prepend`, `cas`) answers. `stored: false`
 * is memcached's own answer (a successful round trip, never counted): `exists` (add: the key is
 * there; cas: someone else changed it), `not_found` (replace, cas: the key is gone), `not_stored`
 * (append/prepend: the key is absent). A lock user tells "someone holds it" (`stored: false`) from
 * "memcached is down" (`ok: false`).
 */
export type StoreResult =
  | { readonly ok: true; readonly stored: true }
  | { readonly ok: true; readonly stored: false; readonly status: 'exists' | 'not_found' | 'not_stored' }
  | NotOk;

/** `gets`: the item with its CAS token, or undefined on a miss. */
export type GetsResult<V = Buffer> = { readonly ok: true; readonly item: GetsItem<V> | undefined } | NotOk;

/**
 * `incr`/`decr`: the counter's new value; undefined when the key is absent and no `initial` was
 * given. A number for a number `delta`, a bigint for a bigint one.
 */
export type CounterResult<N extends number | bigint = number> =
  | { readonly ok: true; readonly value: N | undefined }
  | NotOk;

/** `touch`: whether the key was there (and now has the new expiration). */
export type TouchResult = { readonly ok: true; readonly found: boolean } | NotOk;

/**
 * `setMulti`: `failed` lists the keys memcached refused (e.g. value too large), `unavailable` the
 * keys whose server was down or failed. Not-ok only when no server answered.
 */
export type SetMultiResult =
  | { readonly ok: true; readonly failed: readonly string[]; readonly unavailable: readonly string[] }
  | NotOk;

/** `deleteMulti`: `unavailable` lists the keys whose server was down or failed. Not-ok only when no server answered. */
export type DeleteMultiResult = { readonly ok: true; readonly unavailable: readonly string[] } | NotOk;
