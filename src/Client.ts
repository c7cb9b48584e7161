import type { Actor, SnapshotFrom } from 'xstate';
import { assign, createActor, fromPromise } from 'xstate';
import type { ConnectionMachine } from '../machines/connectionMachine';
import { connectionMachine } from '../machines/connectionMachine';
import { reconnectDelay } from '../machines/reconnectDelay';
import { classifyError } from './classifyError';
import { DeadlineQueue } from './DeadlineQueue';
import {
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  type ReconnectingMemcachedError,
  ServerError,
  TimeoutError,
} from './errors';
import type { Item, MemcachedPort, PortFactory } from './MemcachedPort';
import { memjsPortFactory } from './memjsPort';
import type { ClientOptions, ResolvedOptions } from './options';
import { resolveOptions } from './options';
import {
  validateExpiration,
  validateFlags,
  validateItem,
  validateKey,
  validateKeys,
  validateValue,
} from './validation';

/** Where the connection is in its lifecycle. */
export type ConnectionState = 'connected' | 'degraded' | 'reconnecting' | 'closed';

/**
 * Why a call answered not-ok. The caller treats every one like a cache miss.
 * - `reconnecting`: the connection is healing; no I/O was done.
 * - `closed`: `close()` was called.
 * - `timeout`: no answer within `timeoutMs` (counts toward healing).
 * - `connection`: the socket failed (counts toward healing).
 * - `server`: memcached refused the request, e.g. value too large (does not count).
 */
export type NotOkReason = 'reconnecting' | 'closed' | 'timeout' | 'connection' | 'server';

export interface NotOk {
  readonly ok: false;
  readonly reason: NotOkReason;
  /** For `timeout`, `connection` and `server`: a `TimeoutError`, `ConnectionError` or `ServerError`. */
  readonly error?: ReconnectingMemcachedError;
}

export type GetResult = { readonly ok: true; readonly item: Item | undefined } | NotOk;
export type GetMultiResult = { readonly ok: true; readonly items: Map<string, Item> } | NotOk;

/** What `set` stores. */
export interface SetItem {
  readonly key: string;
  /** A string is stored as UTF-8. */
  readonly value: Buffer | string;
  /** 32 opaque bits stored with the value. @default 0 */
  readonly flags?: number;
  /**
   * Seconds until the item expires, memcached meaning: 0 never, up to 30 days relative, larger a
   * Unix time. @default 0
   */
  readonly expiration?: number;
}

/** A state change, as `subscribe` reports it. */
export interface StateChange {
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

/** A memcached client that answers not-ok at once while memcached is down and heals by itself. */
export interface Client extends AsyncDisposable {
  /** The current state. */
  readonly state: ConnectionState;
  /** The XState actor running the connection machine, for inspection and tests. */
  readonly actor: Actor<ConnectionMachine>;
  /** False while reconnecting or closed: calls would answer not-ok without I/O. */
  connectionAvailable(): boolean;
  get(key: string): Promise<GetResult>;
  getMulti(keys: readonly string[]): Promise<GetMultiResult>;
  /** True when stored. `set(null)` and `set(undefined)` are trivially true, as in the Go original. */
  set(item: SetItem | null | undefined): Promise<boolean>;
  /** True when the server answered, whether the key was there or not. */
  delete(key: string): Promise<boolean>;
  /**
   * Resolves when every server answers. Rejects with `ConnectionDownError` while reconnecting,
   * `ClientClosedError` after close, else `TimeoutError`, `ConnectionError` or `ServerError`.
   */
  ping(): Promise<void>;
  /** Calls `listener` on every state change. Returns the unsubscribe function. */
  subscribe(listener: StateListener): () => void;
  /** Stops healing, closes every socket, settles calls in flight as `closed`. Idempotent. */
  close(): Promise<void>;
}

/** Creates a client. Throws `InvalidOptionError` (a `TypeError`) for a bad option. */
export function createClient(options: ClientOptions): Client {
  const resolved = resolveOptions(options);
  return new ReconnectingClient(resolved, memjsPortFactory(resolved));
}

/** For tests: the same client over any port, with an optional pinned random source for the jitter. */
export function createClientWithPort(
  options: ClientOptions,
  portFactory: PortFactory,
  internals: { readonly random?: () => number } = {},
): Client {
  return new ReconnectingClient(resolveOptions(options), portFactory, internals.random);
}

// Not-ok answers that involve no I/O are shared, frozen, and carry no Error: building a stack trace
// per call would cost more than the rest of the fast path.
const RECONNECTING: NotOk = Object.freeze({ ok: false, reason: 'reconnecting' });
const CLOSED: NotOk = Object.freeze({ ok: false, reason: 'closed' });

type Snapshot = SnapshotFrom<ConnectionMachine>;

function stateOf(snapshot: Snapshot): ConnectionState {
  const value = snapshot.value;
  return typeof value === 'string' ? value : 'reconnecting';
}

class ReconnectingClient implements Client {
  readonly actor: Actor<ConnectionMachine>;
  readonly #options: ResolvedOptions;
  readonly #deadlines: DeadlineQueue;
  readonly #listeners = new Set<StateListener>();
  // The current connection; undefined exactly while reconnecting or closed.
  #port: MemcachedPort | undefined;
  // Set on close() and on entering `closed`. The deadlines of calls in flight expire inside that
  // transition, while the snapshot still reads `active`: this makes them answer `closed`, not `timeout`.
  #closed = false;

  constructor(options: ResolvedOptions, portFactory: PortFactory, random: () => number = Math.random) {
    this.#options = options;
    this.#deadlines = new DeadlineQueue(options.clock, options.timeoutMs);
    this.#port = portFactory();
    const machine = connectionMachine.provide({
      actions: {
        dropConnection: () => this.#replacePort(undefined),
        adoptConnection: (_, params) => this.#replacePort(params.connection as MemcachedPort),
        releaseConnection: () => {
          this.#closed = true;
          this.#replacePort(undefined);
          this.#deadlines.expireAll();
        },
        scheduleProbe: assign({
          nextDelayMs: ({ context }) =>
            reconnectDelay(context.attempt, context.recoveryDelayMs, context.maxRecoveryDelayMs, random),
        }),
      },
      actors: { probe: fromPromise(({ signal }) => probe(portFactory, signal)) },
    });
    this.actor = createActor(machine, {
      clock: options.clock,
      inspect: options.inspect,
      input: {
        allowedFailuresBeforeHealing: options.allowedFailuresBeforeHealing,
        recoveryDelayMs: options.recoveryDelayMs,
        maxRecoveryDelayMs: options.maxRecoveryDelayMs,
        probeTimeoutMs: options.connectTimeoutMs + options.timeoutMs,
      },
    });
    let previous: ConnectionState = 'connected';
    // A heal resets `attempt` in the same step, so the outage's count is the one seen before it.
    let failedProbes = 0;
    this.actor.subscribe((snapshot) => {
      const state = stateOf(snapshot);
      const probesBefore = failedProbes;
      failedProbes = snapshot.context.attempt;
      if (state === previous) return;
      const change: StateChange = {
        state,
        previous,
        failures: snapshot.context.failures,
        attempt: snapshot.context.attempt,
        at: options.clock.now(),
      };
      previous = state;
      this.#report(change, probesBefore);
    });
    this.actor.start();
  }

  get state(): ConnectionState {
    return stateOf(this.actor.getSnapshot());
  }

  connectionAvailable(): boolean {
    return this.#port !== undefined;
  }

  get(key: string): Promise<GetResult> {
    try {
      validateKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call<Item | undefined, GetResult>(
      (port) => port.get(key),
      (item) => ({ ok: true, item }),
      (notOk) => notOk,
    );
  }

  getMulti(keys: readonly string[]): Promise<GetMultiResult> {
    // Validated and sent from one copy: an array whose elements change between reads must not send
    // a key that was not checked.
    const list = Array.isArray(keys) ? keys.slice() : keys;
    try {
      validateKeys(list);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call<Map<string, Item>, GetMultiResult>(
      (port) => port.getMulti(list),
      (items) => ({ ok: true, items }),
      (notOk) => notOk,
    );
  }

  set(item: SetItem | null | undefined): Promise<boolean> {
    if (item === null || item === undefined) return Promise.resolve(true);
    let key: string;
    let value: Buffer;
    let flags: number;
    let expiration: number;
    try {
      validateItem(item);
      // Each field is read once: a getter must not pass validation with one key and send another
      // (an over-long key makes memcached close the connection, which would count as an outage).
      key = item.key;
      const raw = item.value;
      flags = item.flags ?? 0;
      expiration = item.expiration ?? 0;
      validateKey(key);
      validateValue(raw);
      validateFlags(flags);
      validateExpiration(expiration);
      value = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call(
      (port) => port.set(key, value, flags, expiration),
      () => true,
      () => false,
    );
  }

  delete(key: string): Promise<boolean> {
    try {
      validateKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call(
      (port) => port.delete(key),
      () => true,
      () => false,
    );
  }

  ping(): Promise<void> {
    return this.#call(
      (port) => port.ping(),
      () => undefined,
      (notOk) => {
        throw errorOf(notOk);
      },
    );
  }

  subscribe(listener: StateListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe expects a function');
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      // Entering `closed` cancels the delayed probe and the probe in flight, closes the port and
      // settles every call still waiting (see releaseConnection).
      this.actor.send({ type: 'CLOSE' });
      this.actor.stop();
      this.#listeners.clear();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Runs one call on the current port with a deadline, and tells the machine what it learned.
   * While reconnecting or closed it answers at once, without I/O. The call's generation goes with
   * its result, so a late failure from a dropped connection cannot move the state of the next one.
   */
  #call<T, R>(
    op: (port: MemcachedPort) => Promise<T>,
    onOk: (value: T) => R,
    onNotOk: (notOk: NotOk) => R,
  ): Promise<R> {
    const port = this.#port;
    if (port === undefined) {
      return settle(() => onNotOk(this.actor.getSnapshot().status === 'active' ? RECONNECTING : CLOSED));
    }
    const generation = this.actor.getSnapshot().context.generation;
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const finish = (answer: () => R) => {
        try {
          resolve(answer());
        } catch (err) {
          reject(err);
        }
      };
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        this.#deadlines.delete(id);
        const notOk = this.#failed(generation, err);
        finish(() => onNotOk(notOk));
      };
      const id = this.#deadlines.add(() => {
        if (settled) return;
        settled = true;
        const notOk = this.#failed(generation, new TimeoutError(this.#options.timeoutMs));
        finish(() => onNotOk(notOk));
      });
      let pending: Promise<T>;
      try {
        pending = op(port);
      } catch (err) {
        fail(err);
        return;
      }
      pending.then((value) => {
        if (settled) return;
        settled = true;
        this.#deadlines.delete(id);
        this.#succeeded(generation);
        finish(() => onOk(value));
      }, fail);
    });
  }

  #succeeded(generation: number): void {
    // The hot path: while nothing is counted there is nothing to reset, so no event is sent and the
    // call costs one snapshot read. The machine still decides what a success does.
    const snapshot = this.actor.getSnapshot();
    if (snapshot.context.failures !== 0 && snapshot.status === 'active') {
      this.actor.send({ type: 'CALL.SUCCEEDED', generation });
    }
  }

  #failed(generation: number, err: unknown): NotOk {
    if (this.#closed || this.actor.getSnapshot().status !== 'active') return CLOSED;
    if (classifyError(err) === 'server') {
      return { ok: false, reason: 'server', error: err instanceof ServerError ? err : new ServerError(err) };
    }
    this.actor.send({ type: 'CALL.FAILED', generation });
    if (err instanceof TimeoutError) return { ok: false, reason: 'timeout', error: err };
    return { ok: false, reason: 'connection', error: err instanceof ConnectionError ? err : new ConnectionError(err) };
  }

  #replacePort(next: MemcachedPort | undefined): void {
    const previous = this.#port;
    this.#port = next;
    previous?.close();
  }

  #report(change: StateChange, failedProbes: number): void {
    const { logger } = this.#options;
    if (change.state === 'reconnecting') {
      logger.warn(`memcached connection down after ${change.failures} consecutive failures; healing in the background`);
    } else if (change.previous === 'reconnecting' && change.state === 'connected') {
      logger.info(`memcached connection healed after ${failedProbes} failed probes`);
    }
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        // A listener's bug must not break the state machine.
        logger.error('reconnecting-memcached: a subscribe listener threw', err);
      }
    }
  }
}

function settle<R>(answer: () => R): Promise<R> {
  try {
    return Promise.resolve(answer());
  } catch (err) {
    return Promise.reject(err);
  }
}

function errorOf(notOk: NotOk): Error {
  if (notOk.error) return notOk.error;
  return notOk.reason === 'closed' ? new ClientClosedError() : new ConnectionDownError();
}

/** One reconnect probe: a fresh port that must answer every server, or be closed. */
async function probe(portFactory: PortFactory, signal: AbortSignal): Promise<MemcachedPort> {
  const candidate = portFactory();
  // The machine stops this actor on probeTimeout or close(): the candidate's sockets go with it.
  const abort = () => candidate.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await candidate.ping();
  } catch (err) {
    candidate.close();
    throw err;
  } finally {
    signal.removeEventListener('abort', abort);
  }
  if (signal.aborted) {
    candidate.close();
    throw new ClientClosedError();
  }
  return candidate;
}
