import type { FetchOptions, InvalidateOptions } from '../api/fetchOptions';
import type { Item } from '../api/Item';
import type { GetResult, NotOk } from '../api/results';
import type { Encoded } from '../codec/Codec';
import { passNotOk, refusalOf } from '../commands/answers';
import { CAS } from '../commands/cas';
import { DELETE } from '../commands/deleteKey';
import type { CommandKind } from '../core/channels';
import type { Clock } from '../core/clock';
import { ClientClosedError, InvalidOptionError } from '../core/errors';
import type { Logger } from '../core/logger';
import { type ExpirationLimit, validateExpiration } from '../core/validation';
import type { CallRunner } from '../engine/CallRunner';
import type { CallTarget } from '../engine/CallTarget';
import { checkOptionsObject } from '../engine/callOptions';
import { isLeasePort, type Lease } from '../port/LeasePort';
import type { MemcachedPort } from '../port/MemcachedPort';
import { abortable } from './abortable';
import { type FetchPlan, fetchPlan } from './fetchPlan';
import { fetchRead, type Keys } from './fetchRead';
import type { KeyPrefix } from './KeyPrefix';
import { SingleFlight } from './SingleFlight';
import type { Values } from './Values';

/** A port call's answer as the client's call runner gives it: the value, or why not. */
export type Answer<T> = { readonly ok: true; readonly value: T } | NotOk;

/** What `fetch` reads of the client's options. */
export interface ReadThroughSettings {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Unix time in seconds by the client's clock, for absolute expirations. */
  readonly unixSeconds: () => number;
  /** The protocol's expirations: `ttl`, `staleTtl` and what they add up to must fit. */
  readonly expirationLimit: ExpirationLimit;
}

const answer = <T>(value: T): Answer<T> => ({ ok: true, value });
// What fetch's round trips publish on the command TracingChannel.
const FETCH: CommandKind<unknown> = { name: 'fetch' };
const INVALIDATE: CommandKind<unknown> = { name: 'invalidate' };

// The fields of `InvalidateOptions`.
const INVALIDATE_OPTIONS: readonly string[] = ['staleTtl'];

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
  readonly #values: Values<V, In>;
  readonly #flights = new SingleFlight<V>();

  /**
   * `calls` runs each round trip with the client's deadline and failure counting, on `serverFor(key)`;
   * `values` is the client's codec step, the one `get` and `set` go through.
   */
  constructor(
    calls: CallRunner,
    serverFor: (key: string) => CallTarget,
    prefix: KeyPrefix,
    values: Values<V, In>,
    settings: ReadThroughSettings,
    random: () => number,
  ) {
    this.#calls = calls;
    this.#serverFor = serverFor;
    this.#prefix = prefix;
    this.#values = values;
    this.#settings = settings;
    this.#random = random;
  }

  /**
   * One round trip on the server of `key` (the caller's key: the server is chosen without the
   * prefix): the port's answer, or why not (reconnecting, timeout, ...).
   */
  #run<T>(key: string, op: (port: MemcachedPort) => Promise<T>, kind = FETCH): Promise<Answer<T>> {
    return this.#calls.run<undefined, T, Answer<T>>(this.#serverFor(key), op, undefined, answer, passNotOk, kind, 1);
  }

  fetch(key: string, loader: () => In | Promise<In>, options: FetchOptions): Promise<V> {
    let plan: FetchPlan;
    let wire: string;
    try {
      wire = this.#prefix.key(key);
      if (typeof loader !== 'function') throw new InvalidOptionError('loader', loader, 'a function');
      plan = fetchPlan(options, this.#settings.unixSeconds, this.#settings.expirationLimit);
    } catch (err) {
      return Promise.reject(err);
    }
    // Closed: no value to answer but the loader's, and the loader is not this client's to run any more.
    if (this.#calls.closed) return Promise.reject(new ClientClosedError());
    const flight = this.#flights.run(wire, () => this.#fetch({ key, wire }, loader, plan));
    return plan.signal === undefined ? flight : abortable(flight, plan.signal);
  }

  invalidate(key: string, options: InvalidateOptions = {}): Promise<boolean> {
    let staleTtl: number;
    let wire: string;
    try {
      wire = this.#prefix.key(key);
      checkOptionsObject(options, INVALIDATE_OPTIONS, 'an object with staleTtl, or undefined');
      staleTtl = options.staleTtl ?? 0;
      validateExpiration(staleTtl, this.#settings.unixSeconds, this.#settings.expirationLimit);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#run(
      key,
      (port) =>
        staleTtl > 0 && isLeasePort(port)
          ? port.invalidate(wire, staleTtl)
          : port.command(DELETE, { key: wire, userKey: key }),
      INVALIDATE,
    ).then((answer) => answer.ok);
  }

  async #fetch(k: Keys, loader: () => In | Promise<In>, plan: FetchPlan): Promise<V> {
    const { key } = k;
    const clock = this.#settings.clock;
    const deadline = clock.now() + plan.timeoutMs;
    for (;;) {
      const read = await fetchRead(this.#calls, this.#serverFor(key), this.#values, k, plan);
      // Closed while this fetch waited (on its server, or on another client's fill): the loader is
      // not this client's to run any more.
      if (this.#calls.closed) throw new ClientClosedError();
      // The server is down or failing: the loader answers, and nothing is stored.
      if (!read.ok) return this.#decode(key, await this.#load(loader));
      const { lease, got } = read.value;
      if (lease === undefined) return this.#fill(k, loader, plan, undefined);
      if (got !== undefined) return this.#hit(k, loader, plan, lease, got);
      if (lease.win) return this.#fill(k, loader, plan, lease.cas);
      // Another client is loading it: wait for its value, or load once the deadline has come, and
      // store over the placeholder only if it is still there (a loader that died leaves it behind).
      const wait = POLL_MS * (1 + this.#random());
      if (clock.now() + wait >= deadline) return this.#fill(k, loader, plan, lease.cas, false);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
    }
  }

  /**
   * A value memcached answered, decoded as `get` decodes it. One that does not decode (`get` answers
   * it `reason: 'decode'`, also when it was still decoding at the read's deadline) is a miss here:
   * a read-through caller has only the loader's value to answer, and storing it replaces bytes that
   * no reader with this codec can use. The store takes the CAS read with the value (meta), so a good
   * value another writer stored meanwhile is kept.
   */
  async #hit(k: Keys, loader: () => In | Promise<In>, plan: FetchPlan, lease: Lease, got: GetResult<V>): Promise<V> {
    if (got.ok) {
      // Won on a stale or soon-expiring value: it is answered while this caller refreshes it.
      if (lease.win) this.#refresh(k, loader, plan, lease.cas);
      return (got.item as Item<V>).value;
    }
    this.#settings.logger.warn('reconnecting-memcached: fetch loads over a value that did not decode', got.error);
    // The binary port reads no CAS (0, which memcached never issues): its store is a plain set.
    return this.#fill(k, loader, plan, lease.cas === 0n ? undefined : lease.cas);
  }

  /**
   * Loads and stores: with the lease's CAS when this caller read one, else a plain set. `won`: the
   * placeholder is this caller's, to give back if the loader throws.
   */
  async #fill(
    k: Keys,
    loader: () => In | Promise<In>,
    plan: FetchPlan,
    cas: bigint | undefined,
    won = true,
  ): Promise<V> {
    let encoded: Encoded;
    try {
      encoded = await this.#load(loader);
    } catch (err) {
      // Give the placeholder back, so the next reader wins and loads instead of waiting it out.
      if (cas !== undefined && won) void this.#run(k.key, (port) => release(port, k.wire, cas));
      throw err;
    }
    await this.#store(k, encoded, plan, cas);
    return this.#decode(k.key, encoded);
  }

  /** A winner of a stale or soon-expiring value refreshes it while the value is answered. */
  #refresh(k: Keys, loader: () => In | Promise<In>, plan: FetchPlan, cas: bigint): void {
    this.#load(loader)
      .then((encoded) => this.#store(k, encoded, plan, cas))
      .catch((err: unknown) => this.#settings.logger.warn('reconnecting-memcached: a fetch refresh failed', err));
  }

  // With the lease's CAS, a placeholder that is gone (deleted by an invalidate, or past its leaseTtl)
  // or changed is not overwritten: what the loader read may be older than that invalidate.
  // A value memcached refuses (too large, out of memory) goes to the logger as `set`'s does: the key
  // and memcached's reason, never the value.
  async #store(k: Keys, encoded: Encoded, plan: FetchPlan, cas: bigint | undefined): Promise<void> {
    const { value, flags } = encoded;
    const { expiration } = plan;
    const stored = await this.#run<unknown>(k.key, (port) =>
      cas === undefined
        ? port.set(k.wire, value, flags, expiration)
        : port.command(CAS, { key: k.wire, userKey: k.key, value, flags, expiration, cas }),
    );
    if (!stored.ok && stored.reason === 'server') {
      this.#settings.logger.warn(
        `reconnecting-memcached: fetch of key ${JSON.stringify(k.key)} could not store the loaded value: ${refusalOf(stored)}`,
      );
    }
  }

  /** The loader's value, encoded as `set` encodes one (a value the codec refuses: InvalidValueError). */
  async #load(loader: () => In | Promise<In>): Promise<Encoded> {
    return this.#values.encode(await loader(), undefined);
  }

  /**
   * What fetch answers for a loaded value: the same type as a hit, through the codec. A codec that
   * cannot decode what it encoded rejects with the DecodeError: there is no other value to answer.
   */
  async #decode(key: string, encoded: Encoded): Promise<V> {
    return (await this.#values.decode({ key, value: encoded.value, flags: encoded.flags })).value;
  }
}

function release(port: MemcachedPort, key: string, cas: bigint): Promise<void> {
  return isLeasePort(port) ? port.release(key, cas) : Promise.resolve();
}
