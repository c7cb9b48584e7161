import type { FetchOptions, InvalidateOptions } from '../api/fetchOptions';
import type { NotOk } from '../api/results';
import type { Codec, Encoded } from '../codec/Codec';
import { rawCodec } from '../codec/rawCodec';
import type { CommandKind } from '../core/channels';
import type { Clock } from '../core/clock';
import { InvalidOptionError } from '../core/errors';
import type { Logger } from '../core/logger';
import { validateExpiration } from '../core/validation';
import type { CallRunner } from '../engine/CallRunner';
import type { CallTarget } from '../engine/CallTarget';
import { isLeasePort, type Lease } from '../port/LeasePort';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { KeyPrefix } from './KeyPrefix';
import { SingleFlight } from './SingleFlight';

/** A port call's answer as the client's call runner gives it: the value, or why not. */
export type Answer<T> = { readonly ok: true; readonly value: T } | NotOk;

/** What `fetch` reads of the client's options. */
export interface ReadThroughSettings {
  readonly clock: Clock;
  readonly logger: Logger;
  /** undefined: the raw codec. */
  readonly codec: Codec<unknown, unknown> | undefined;
}

const answer = <T>(value: T): Answer<T> => ({ ok: true, value });
const passNotOk = (notOk: NotOk): NotOk => notOk;
// What fetch's round trips publish on the command TracingChannel.
const FETCH: CommandKind<unknown> = { name: 'fetch' };
const INVALIDATE: CommandKind<unknown> = { name: 'invalidate' };

/** How long a fetch waits for another client's load before loading itself, by default, in ms. */
export const DEFAULT_FETCH_TIMEOUT_MS = 1000;
// Polls of a key another client is loading: every [POLL_MS, 2 * POLL_MS), jittered so waiters spread.
const POLL_MS = 10;

/**
 * `fetch` and `invalidate` (README "Read-through with fetch"). In the process, concurrent fetches of
 * a key share one run (SingleFlight). Over the meta protocol, memcached's leases spread that across
 * processes: a miss leaves a placeholder whose first reader wins (W) and loads while the others (Z)
 * poll until the value is stored or their deadline passes; a stale or soon-expiring value is answered
 * at once while its winner refreshes it in the background. Over the binary protocol only the
 * in-process single flight holds.
 */
export class ReadThrough<V, In> {
  readonly #calls: CallRunner;
  readonly #serverFor: (key: string) => CallTarget;
  readonly #prefix: KeyPrefix;
  readonly #settings: ReadThroughSettings;
  readonly #random: () => number;
  readonly #codec: Codec<V, In>;
  readonly #flights = new SingleFlight<V>();

  /** `calls` runs each round trip with the client's deadline and failure counting, on `serverFor(key)`. */
  constructor(
    calls: CallRunner,
    serverFor: (key: string) => CallTarget,
    prefix: KeyPrefix,
    settings: ReadThroughSettings,
    random: () => number,
  ) {
    this.#calls = calls;
    this.#serverFor = serverFor;
    this.#prefix = prefix;
    this.#settings = settings;
    this.#random = random;
    this.#codec = (settings.codec ?? rawCodec) as Codec<V, In>;
  }

  /**
   * One round trip on the server of `key` (the caller's key: the server is chosen without the
   * prefix): the port's answer, or why not (reconnecting, timeout, ...).
   */
  #run<T>(key: string, op: (port: MemcachedPort) => Promise<T>, kind = FETCH): Promise<Answer<T>> {
    return this.#calls.run<T, Answer<T>>(this.#serverFor(key), op, answer, passNotOk, kind, 1);
  }

  fetch(key: string, loader: () => In | Promise<In>, options: FetchOptions): Promise<V> {
    let plan: Plan;
    let wire: string;
    try {
      wire = this.#prefix.key(key);
      if (typeof loader !== 'function') throw new InvalidOptionError('loader', loader, 'a function');
      plan = planOf(options);
    } catch (err) {
      return Promise.reject(err);
    }
    const flight = this.#flights.run(wire, () => this.#fetch({ key, wire }, loader, plan));
    return plan.signal === undefined ? flight : abortable(flight, plan.signal);
  }

  invalidate(key: string, options: InvalidateOptions = {}): Promise<boolean> {
    let staleTtl: number;
    let wire: string;
    try {
      wire = this.#prefix.key(key);
      staleTtl = options?.staleTtl ?? 0;
      validateExpiration(staleTtl);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(
      key,
      (port) => (staleTtl > 0 && isLeasePort(port) ? port.invalidate(wire, staleTtl) : port.delete(wire)),
      INVALIDATE,
    ).then((answer) => answer.ok);
  }

  async #fetch(k: Keys, loader: () => In | Promise<In>, plan: Plan): Promise<V> {
    const { key, wire } = k;
    const clock = this.#settings.clock;
    const deadline = clock.now() + plan.timeoutMs;
    const vivify = Math.max(1, Math.ceil(plan.timeoutMs / 1000));
    for (;;) {
      const read = await this.#run(key, (port) =>
        isLeasePort(port) ? port.lease(wire, vivify, plan.recache) : port.get(wire).then(binaryLease),
      );
      // The server is down or failing: the loader answers, and nothing is stored.
      if (!read.ok) return this.#decode(await this.#load(loader));
      const lease = read.value;
      if (lease === undefined) return this.#fill(k, loader, plan, undefined);
      const placeholder = !lease.stale && lease.value.length === 0 && (lease.win || lease.pending);
      if (lease.win) {
        if (placeholder) return this.#fill(k, loader, plan, lease.cas);
        this.#refresh(k, loader, plan, lease.cas);
      }
      if (!placeholder) return this.#codec.decode(lease.value, lease.flags);
      // Another client is loading it: wait for its value, or load once the deadline has come.
      const wait = POLL_MS * (1 + this.#random());
      if (clock.now() + wait >= deadline) return this.#decode(await this.#load(loader));
      await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
    }
  }

  /** Loads and stores: with the lease's CAS when this caller won one, else a plain set. */
  async #fill(k: Keys, loader: () => In | Promise<In>, plan: Plan, cas: bigint | undefined): Promise<V> {
    let encoded: Encoded;
    try {
      encoded = await this.#load(loader);
    } catch (err) {
      // Give the placeholder back, so the next reader wins and loads instead of waiting it out.
      if (cas !== undefined) void this.#run(k.key, (port) => release(port, k.wire, cas));
      throw err;
    }
    await this.#store(k, encoded, plan, cas);
    return this.#decode(encoded);
  }

  /** A winner of a stale or soon-expiring value refreshes it while the value is answered. */
  #refresh(k: Keys, loader: () => In | Promise<In>, plan: Plan, cas: bigint): void {
    this.#load(loader)
      .then((encoded) => this.#store(k, encoded, plan, cas))
      .catch((err: unknown) => this.#settings.logger.warn('reconnecting-memcached: a fetch refresh failed', err));
  }

  #store(k: Keys, encoded: Encoded, plan: Plan, cas: bigint | undefined): Promise<unknown> {
    const item = { key: k.wire, value: encoded.value, flags: encoded.flags, expiration: plan.expiration };
    return this.#run<unknown>(k.key, (port) =>
      cas === undefined ? port.set(item.key, item.value, item.flags, item.expiration) : port.cas(item, cas),
    );
  }

  async #load(loader: () => In | Promise<In>): Promise<Encoded> {
    return this.#codec.encode(await loader());
  }

  /** What fetch answers for a loaded value: the same type as a hit, through the codec. */
  async #decode(encoded: Encoded): Promise<V> {
    return this.#codec.decode(encoded.value, encoded.flags);
  }
}

/** The caller's key (it picks the server) and the key on the wire (with the prefix). */
interface Keys {
  readonly key: string;
  readonly wire: string;
}

interface Plan {
  readonly expiration: number;
  readonly recache: number | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

function planOf(options: FetchOptions): Plan {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', options, 'an object with at least `ttl`');
  }
  const { ttl, staleTtl = 0, recacheBefore = 0, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, signal } = options;
  validateExpiration(ttl);
  validateExpiration(staleTtl);
  validateExpiration(recacheBefore);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2 ** 31 - 1) {
    throw new InvalidOptionError('timeoutMs', timeoutMs, 'a number of milliseconds > 0');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', signal, 'an AbortSignal');
  }
  // A value lives `staleTtl` past its `ttl`; memcached hands one reader the refresh (`R<n>`: fewer
  // than n seconds left) once at most `staleTtl + recacheBefore` are left. memcached counts whole
  // seconds and an item with 0 left is gone, so `R1` would never fire: hence the + 1. ttl 0 never
  // expires: nothing to refresh.
  const window = staleTtl + recacheBefore;
  return {
    expiration: ttl === 0 ? 0 : extend(ttl, staleTtl),
    recache: ttl === 0 || window === 0 ? undefined : window + 1,
    timeoutMs,
    signal,
  };
}

// memcached reads an expiration over 30 days as a Unix time: a relative ttl that the stale window
// pushes past 30 days must become one, or the item would expire at once (a time in 1970).
const MAX_RELATIVE = 30 * 24 * 3600;
function extend(ttl: number, seconds: number): number {
  const total = ttl + seconds;
  if (ttl > MAX_RELATIVE || total <= MAX_RELATIVE) return total;
  return Math.floor(Date.now() / 1000) + total;
}

function binaryLease(item: { value: Buffer; flags: number } | undefined): Lease | undefined {
  return item && { value: item.value, flags: item.flags, cas: 0n, win: false, stale: false, pending: false };
}

function release(port: MemcachedPort, key: string, cas: bigint): Promise<void> {
  return isLeasePort(port) ? port.release(key, cas) : Promise.resolve();
}

/** `flight`, or the signal's reason once it aborts: the caller stops waiting, the flight goes on. */
function abortable<V>(flight: Promise<V>, signal: AbortSignal): Promise<V> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    flight.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
