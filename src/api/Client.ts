import type { Actor, ActorRefFrom } from 'xstate';
import type { ConnectionMachine } from '../../machines/connectionMachine';
import type { PoolMachine } from '../../machines/poolMachine';
import type { DefaultInput } from '../codec/Codec';
import type { ServerList } from '../config/parseServers';
import type { CallOptions } from './CallOptions';
import type { CounterOptions } from './CounterOptions';
import type { FetchOptions, InvalidateOptions } from './fetchOptions';
import type { CasToken } from './Item';
import type {
  CounterResult,
  DeleteMultiResult,
  GetMultiResult,
  GetResult,
  GetsResult,
  SetMultiResult,
  StoreResult,
  TouchResult,
} from './results';

export type { CallOptions } from './CallOptions';
export type { FetchOptions, InvalidateOptions } from './fetchOptions';
export type { GetMultiResult, GetResult, NotOk, NotOkReason } from './results';

/** The connection actor of one server, a child of the pool actor. */
export type ConnectionActor = ActorRefFrom<ConnectionMachine>;

/** Where a server's connection is in its lifecycle (for the client: the worst over its servers). */
export type ConnectionState = 'connected' | 'degraded' | 'reconnecting' | 'closed';

/** What `set` stores. `In` is what the client's codec takes (raw: a Buffer or a string). */
export interface SetItem<In = Buffer | string> {
  readonly key: string;
  /** Encoded by the client's codec; with the default raw codec a string is stored as UTF-8. */
  readonly value: In;
  /** 32 opaque bits stored with the value; only without a `codec`, which sets them otherwise. @default 0 */
  readonly flags?: number;
  /**
   * Seconds until the item expires, memcached meaning: 0 never, up to 30 days relative, larger a
   * Unix time (refused when already past by the client's clock). @default 0
   */
  readonly expiration?: number;
}

/** What `cas` stores: an item and the token `gets` answered for it. */
export interface CasItem<In = Buffer | string> extends SetItem<In> {
  readonly cas: CasToken;
}

/** A state change of one server's connection, as `subscribe` reports it. */
export interface StateChange {
  /** The server it concerns, `host:port` (never with credentials). */
  readonly server: string;
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  /** Consecutive connection failures counted when the change happened. */
  readonly failures: number;
  /** Failed reconnect probes so far in this outage (0 once connected). */
  readonly attempt: number;
  /** When it happened, in the clock's milliseconds (`performance.now()` by default). */
  readonly at: number;
}

export type StateListener = (change: StateChange) => void;

/** One server, as `servers()` reports it. */
export interface ServerStatus {
  /** `host:port`, never with credentials; also the id of its connection actor. */
  readonly server: string;
  readonly weight: number;
  readonly state: ConnectionState;
  /** Consecutive connection failures counted now. */
  readonly failures: number;
  /** Failed reconnect probes so far in this outage (0 once connected). */
  readonly attempt: number;
  /** When the next reconnect probe is due, in the clock's milliseconds; undefined unless waiting for one. */
  readonly nextProbeAt: number | undefined;
}

/**
 * A memcached client that answers not-ok at once while a server is down and heals it by itself.
 * Each server has its own connection: a dead server costs only the keys it owns. `V` is the value
 * type reads answer and `In` the one writes take, both from the `codec` option (raw by default).
 */
export interface Client<V = Buffer, In = DefaultInput<V>> extends AsyncDisposable {
  /** The worst state over all servers (`reconnecting` if any is); with one server, its state. */
  readonly state: ConnectionState;
  /**
   * The XState actor running the pool machine, for inspection and tests. Each server's connection
   * actor is its child, with the id `host:port`: `actor.getSnapshot().children[id]`, or
   * `connectionActor(id)`.
   */
  readonly actor: Actor<PoolMachine>;
  /** The `keyPrefix` option: what this client puts before every key on the wire (`''` for none). */
  readonly keyPrefix: string;
  /**
   * The connection actor of `server` (`host[:port]`). Without an argument, the only server's;
   * throws a `TypeError` when there are several, a `RangeError` for a server that is not a member.
   */
  connectionActor(server?: string): ConnectionActor;
  /**
   * Without a key: true when every server is usable (none reconnecting, not closed). With a key:
   * whether that key's server is usable, i.e. whether a call for it would do I/O.
   */
  connectionAvailable(key?: string): boolean;
  /** A snapshot of every server, in the configured order. */
  servers(): ServerStatus[];
  /**
   * Changes the servers at runtime (same forms as the `servers` option). Kept servers keep their
   * connection and state, new ones start, removed ones are closed; calls in flight on a removed
   * server settle as `closed`. Throws `InvalidOptionError` for a bad list, `ClientClosedError` after close.
   */
  setServers(servers: ServerList): void;
  /** Every method's last argument, `opts`: this call's own `timeoutMs` and an abort `signal` (answer `aborted`). */
  get(key: string, opts?: CallOptions): Promise<GetResult<V>>;
  /** `get` with the item's CAS token, for a later `cas`. */
  gets(key: string, opts?: CallOptions): Promise<GetsResult<V>>;
  /** Get and touch in one round trip: the item, now expiring at `expiration` (seconds, memcached meaning). */
  gat(key: string, expiration: number, opts?: CallOptions): Promise<GetResult<V>>;
  /** `gat` with the item's CAS token, for a later `cas`. */
  gats(key: string, expiration: number, opts?: CallOptions): Promise<GetsResult<V>>;
  getMulti(keys: readonly string[], opts?: CallOptions): Promise<GetMultiResult<V>>;
  /**
   * True when stored. `set(null)` and `set(undefined)` are trivially true, as in the Go original.
   * False when memcached is down or refused the value (e.g. too large); a refusal warns on the
   * `logger` with the key and memcached's reason (`add`/`replace`/`cas` answer it as `error`).
   */
  set(item: SetItem<In> | null | undefined, opts?: CallOptions): Promise<boolean>;
  /** Stores only if the key is absent (`status: 'exists'` otherwise): a lock. */
  add(item: SetItem<In>, opts?: CallOptions): Promise<StoreResult>;
  /** Stores only if the key is present (`status: 'not_found'` otherwise). */
  replace(item: SetItem<In>, opts?: CallOptions): Promise<StoreResult>;
  /**
   * Appends raw bytes (a string as UTF-8; the codec is not applied) to the stored value
   * (`status: 'not_stored'` when the key is absent); flags and expiration stay.
   */
  append(key: string, value: Buffer | string, opts?: CallOptions): Promise<StoreResult>;
  /** Prepends raw bytes to the stored value (`status: 'not_stored'` when the key is absent). */
  prepend(key: string, value: Buffer | string, opts?: CallOptions): Promise<StoreResult>;
  /**
   * Stores `item` only if nobody changed it since `gets` answered `item.cas`: `status: 'exists'`
   * when someone did, `'not_found'` when it is gone.
   */
  cas(item: CasItem<In>, opts?: CallOptions): Promise<StoreResult>;
  /** True when the server answered, whether the key was there or not. */
  delete(key: string, opts?: CallOptions): Promise<boolean>;
  /**
   * Read-through: the key's value from memcached, else from `loader()`, stored for `options.ttl`
   * seconds (through the codec, as `get` and `set`). Concurrent fetches of a key in this process
   * share one loader call; with `protocol: 'meta'` memcached's leases make one loader call serve every client (README
   * "Read-through with fetch"). While the key's server is down the loader answers and nothing is
   * stored. A stored value the codec cannot decode is a miss (loaded and stored over, with a
   * warning on the logger). Rejects with the loader's error, or a typed error for bad input before any I/O.
   * After `close()` rejects with `ClientClosedError`, without calling the loader.
   */
  fetch(key: string, loader: () => In | Promise<In>, options: FetchOptions): Promise<V>;
  /**
   * With `protocol: 'meta'` and `staleTtl > 0`: marks the value stale for `staleTtl` more seconds, so
   * fetches answer it at once while one of them refreshes it. Otherwise deletes the key. True when
   * the server answered (whether the key was there or not); false after `close()`, as `delete`.
   */
  invalidate(key: string, options?: InvalidateOptions): Promise<boolean>;
  /**
   * Adds `delta` (default 1) to a counter: its new value (memcached wraps at 2^64), undefined when
   * absent unless `opts.initial` creates it. A number `delta` answers numbers and rejects with a
   * `CounterRangeError` above 2^53 - 1; a bigint `delta` answers bigints. A non-numeric value
   * answers not-ok with `reason: 'server'`.
   */
  incr(key: string, delta?: number, opts?: CounterOptions): Promise<CounterResult<number>>;
  incr(key: string, delta: bigint, opts?: CounterOptions): Promise<CounterResult<bigint>>;
  /** Subtracts `delta` (default 1) from a counter, stopping at 0; otherwise as `incr`. */
  decr(key: string, delta?: number, opts?: CounterOptions): Promise<CounterResult<number>>;
  decr(key: string, delta: bigint, opts?: CounterOptions): Promise<CounterResult<bigint>>;
  /** Sets a new expiration (seconds, memcached meaning) without fetching: `found` says whether the key was there. */
  touch(key: string, expiration: number, opts?: CallOptions): Promise<TouchResult>;
  /** One pipelined round per server (quiet sets plus one NOOP); `failed` lists the keys memcached refused. */
  setMulti(items: readonly SetItem<In>[], opts?: CallOptions): Promise<SetMultiResult>;
  /** One pipelined round per server (quiet deletes plus one NOOP); absent keys are not an error. */
  deleteMulti(keys: readonly string[], opts?: CallOptions): Promise<DeleteMultiResult>;
  /**
   * Invalidates every item on every server. Rejects with an `AdminCommandError` naming each
   * server that did not answer; `ClientClosedError` after close; the signal's reason when
   * `opts.signal` aborts.
   */
  flush(opts?: CallOptions): Promise<void>;
  /** Every server's statistics, by server (`host:port`), then by name. Rejects as `flush`. */
  stats(opts?: CallOptions): Promise<Map<string, Map<string, string>>>;
  /** Every server's version string, by server (`host:port`). Rejects as `flush`. */
  version(opts?: CallOptions): Promise<Map<string, string>>;
  /**
   * Resolves when every server answers. With one server, rejects with `ConnectionDownError` while
   * reconnecting, else `TimeoutError`, `ConnectionError` or `ServerError`; with several, with a
   * `PingError` naming each server that failed and why. `ClientClosedError` after close; the
   * signal's reason when `opts.signal` aborts.
   */
  ping(opts?: CallOptions): Promise<void>;
  /** Calls `listener` on every state change of every server. Returns the unsubscribe function. */
  subscribe(listener: StateListener): () => void;
  /** Stops healing, closes every socket, settles calls in flight as `closed`. Idempotent. */
  close(): Promise<void>;
}
