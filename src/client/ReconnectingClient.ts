import type { Actor } from 'xstate';
import type { PoolMachine } from '../../machines/poolMachine';
import type {
  Client,
  ConnectionActor,
  ConnectionState,
  ServerStatus,
  SetItem,
  StateChange,
  StateListener,
} from '../api/Client';
import type { Item } from '../api/Item';
import { CLOSED, type GetMultiResult, type GetResult, NONE, type NotOk, RECONNECTING } from '../api/results';
import { type Codec, type Encoded, isPromiseLike } from '../codec/Codec';
import type { ClientOptions, ResolvedOptions } from '../config/options';
import { formatServer, parseServers } from '../config/parseServers';
import {
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  PingError,
  type ReconnectingMemcachedError,
  ServerError,
  TimeoutError,
} from '../core/errors';
import { validateExpiration, validateItem, validateKey, validateKeys } from '../core/validation';
import { classifyError } from '../engine/classifyError';
import { DeadlineQueue } from '../engine/DeadlineQueue';
import { type CallOutcomes, PendingCall } from '../engine/PendingCall';
import { ServerPool, type ServerSlot } from '../pool/ServerPool';
import type { MemcachedPort, PortFactory } from '../port/MemcachedPort';
import { Values } from './Values';

// Shared by every call of their kind, so a call allocates none of them.
const AS_IS = (notOk: NotOk): NotOk => notOk;
const TRUE = (): boolean => true;
const FALSE = (): boolean => false;

/** The client: routes each call to its server's slot and reports what the call learned to that server's machine. */
export class ReconnectingClient<V = Buffer, In = Buffer | string> implements Client<V, In> {
  readonly #options: ResolvedOptions;
  // The codec step, on the way in and out of every value-carrying command.
  readonly #values: Values<V, In>;
  readonly #deadlines: DeadlineQueue;
  readonly #outcomes: CallOutcomes<ServerSlot>;
  readonly #listeners = new Set<StateListener>();
  readonly #pool: ServerPool;
  // Set before CLOSE is sent: calls that the close itself settles must answer `closed`, not `timeout`.
  #closed = false;

  constructor(options: ResolvedOptions, portFactory: PortFactory, random: () => number = Math.random) {
    this.#options = options;
    this.#values = new Values(options.codec as Codec<V, In> | undefined);
    this.#deadlines = new DeadlineQueue(options.clock, options.timeoutMs);
    this.#outcomes = {
      deadlines: this.#deadlines,
      timeoutMs: options.timeoutMs,
      succeeded: (slot, generation) => this.#succeeded(slot, generation),
      failed: (slot, generation, err) => this.#failed(slot, generation, err),
    };
    this.#pool = new ServerPool(options, portFactory, random, (change, failedProbes) =>
      this.#report(change, failedProbes),
    );
  }

  get actor(): Actor<PoolMachine> {
    return this.#pool.actor;
  }

  get state(): ConnectionState {
    return this.#pool.state;
  }

  connectionActor(server?: string): ConnectionActor {
    const slots = this.#pool.slots;
    if (server === undefined) {
      if (slots.length === 1) return (slots[0] as ServerSlot).actor;
      throw new TypeError(`connectionActor() needs a server: there are ${slots.length} (${ids(slots)})`);
    }
    const slot = this.#pool.slot(server) ?? this.#pool.slot(serverId(server));
    if (!slot) throw new RangeError(`${JSON.stringify(server)} is not a server of this client (${ids(slots)})`);
    return slot.actor;
  }

  connectionAvailable(key?: string): boolean {
    if (key !== undefined) {
      validateKey(key);
      return this.#pool.slotFor(key).port !== undefined;
    }
    return this.#pool.slots.every((slot) => slot.port !== undefined);
  }

  servers(): ServerStatus[] {
    return this.#pool.statuses();
  }

  setServers(servers: ClientOptions['servers']): void {
    const parsed = parseServers(servers);
    if (this.#closed) throw new ClientClosedError();
    this.#pool.setServers(parsed);
  }

  get(key: string): Promise<GetResult<V>> {
    try {
      validateKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    // An async codec's answer is a promise of the result; the call's promise adopts it.
    return this.#call<Item | undefined, GetResult<V> | Promise<GetResult<V>>>(
      this.#pool.slotFor(key),
      (port) => port.get(key),
      this.#values.getResult,
      AS_IS,
    ) as Promise<GetResult<V>>;
  }

  getMulti(keys: readonly string[]): Promise<GetMultiResult<V>> {
    // Validated and sent from one copy: an array whose elements change between reads must not send
    // a key that was not checked.
    const list = Array.isArray(keys) ? keys.slice() : keys;
    try {
      validateKeys(list);
    } catch (err) {
      return Promise.reject(err);
    }
    const slots = this.#pool.slots;
    if (slots.length === 1) {
      return this.#call<Map<string, Item>, GetMultiResult<V> | Promise<GetMultiResult<V>>>(
        slots[0] as ServerSlot,
        (port) => port.getMulti(list),
        (items) => this.#values.itemsResult(items, NONE),
        AS_IS,
      ) as Promise<GetMultiResult<V>>;
    }
    return this.#getMultiSpread(list);
  }

  set(item: SetItem<In> | null | undefined): Promise<boolean> {
    if (item === null || item === undefined) return Promise.resolve(true);
    let key: string;
    let encoded: Encoded | Promise<Encoded>;
    let expiration: number;
    try {
      validateItem(item);
      // Each field is read once: a getter must not pass validation with one key and send another
      // (an over-long key makes memcached close the connection, which would count as an outage).
      key = item.key;
      const { value, flags } = item;
      expiration = item.expiration ?? 0;
      validateKey(key);
      encoded = this.#values.encode(value, flags);
      validateExpiration(expiration);
    } catch (err) {
      return Promise.reject(err);
    }
    const slot = this.#pool.slotFor(key);
    const store = ({ value, flags }: Encoded) =>
      this.#call(slot, (port) => port.set(key, value, flags, expiration), TRUE, FALSE);
    return isPromiseLike(encoded) ? encoded.then(store) : store(encoded);
  }

  delete(key: string): Promise<boolean> {
    try {
      validateKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#call(this.#pool.slotFor(key), (port) => port.delete(key), TRUE, FALSE);
  }

  ping(): Promise<void> {
    const slots = this.#pool.slots;
    if (slots.length === 1) {
      const slot = slots[0] as ServerSlot;
      return this.#call(
        slot,
        (port) => port.ping(),
        () => undefined,
        (notOk) => {
          throw errorOf(notOk, slot.id);
        },
      );
    }
    const answers = slots.map((slot) =>
      this.#call<void, NotOk | undefined>(
        slot,
        (port) => port.ping(),
        () => undefined,
        AS_IS,
      ),
    );
    return Promise.all(answers).then((results) => {
      if (this.#closed) throw new ClientClosedError();
      const failures = new Map<string, ReconnectingMemcachedError>();
      results.forEach((notOk, i) => {
        const slot = slots[i] as ServerSlot;
        if (notOk) failures.set(slot.id, errorOf(notOk, slot.id));
      });
      if (failures.size > 0) throw new PingError(failures, slots.length);
    });
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
      // Every connection actor enters `closed`: its delayed probe and probe in flight are cancelled
      // and its port closed (which fails the calls pending on it); the deadlines settle the rest.
      this.#pool.close();
      this.#deadlines.expireAll();
      this.#listeners.clear();
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * One pipelined multi-get per server that owns some of the keys, all at once. A server that is
   * down or fails only makes its own keys `unavailable`.
   */
  #getMultiSpread(keys: readonly string[]): Promise<GetMultiResult<V>> {
    const groups = new Map<ServerSlot, string[]>();
    for (const key of keys) {
      const slot = this.#pool.slotFor(key);
      const group = groups.get(slot);
      if (group) group.push(key);
      else groups.set(slot, [key]);
    }
    if (groups.size === 0) {
      return Promise.resolve(this.#closed ? CLOSED : { ok: true, items: new Map(), unavailable: NONE });
    }
    const items = new Map<string, Item>();
    const groupKeys = [...groups.values()];
    const asked = [...groups].map(([slot, group]) =>
      this.#call<Map<string, Item>, NotOk | undefined>(
        slot,
        (port) => port.getMulti(group),
        (hits) => {
          for (const [key, item] of hits) items.set(key, item);
          return undefined;
        },
        AS_IS,
      ),
    );
    return Promise.all(asked).then((results) => {
      const unavailable: string[] = [];
      let firstNotOk: NotOk | undefined;
      let answered = 0;
      results.forEach((notOk, i) => {
        if (!notOk) {
          answered++;
          return;
        }
        firstNotOk ??= notOk;
        for (const key of groupKeys[i] as string[]) unavailable.push(key);
      });
      if (answered === 0 && firstNotOk) return firstNotOk;
      return this.#values.itemsResult(items, unavailable);
    });
  }

  /**
   * Runs one call on the slot's current port with a deadline, and tells the server's machine what
   * it learned. While that server is reconnecting, or the client closed, it answers at once without
   * I/O. The call's generation goes with its result, so a late failure from a dropped connection
   * cannot move the state of the next one.
   */
  #call<T, R>(
    slot: ServerSlot,
    op: (port: MemcachedPort) => Promise<T>,
    onOk: (value: T) => R,
    onNotOk: (notOk: NotOk) => R,
  ): Promise<R> {
    const port = slot.port;
    if (port === undefined) {
      return settle(() =>
        onNotOk(!this.#closed && slot.actor.getSnapshot().status === 'active' ? RECONNECTING : CLOSED),
      );
    }
    const call = new PendingCall(this.#outcomes, slot, slot.actor.getSnapshot().context.generation, onOk, onNotOk);
    const answer = new Promise<R>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    this.#deadlines.add(call);
    let pending: Promise<T>;
    try {
      pending = op(port);
    } catch (err) {
      call.failed(err);
      return answer;
    }
    pending.then(
      (value) => call.succeeded(value),
      (err) => call.failed(err),
    );
    return answer;
  }

  #succeeded(slot: ServerSlot, generation: number): void {
    // The hot path: while nothing is counted there is nothing to reset, so no event is sent and the
    // call costs one snapshot read. The machine still decides what a success does.
    const snapshot = slot.actor.getSnapshot();
    if (snapshot.context.failures !== 0 && snapshot.status === 'active') {
      slot.actor.send({ type: 'CALL.SUCCEEDED', generation });
    }
  }

  #failed(slot: ServerSlot, generation: number, err: unknown): NotOk {
    if (this.#closed || slot.actor.getSnapshot().status !== 'active') return CLOSED;
    if (classifyError(err) === 'server') {
      return { ok: false, reason: 'server', error: err instanceof ServerError ? err : new ServerError(err) };
    }
    slot.actor.send({ type: 'CALL.FAILED', generation });
    if (err instanceof TimeoutError) return { ok: false, reason: 'timeout', error: err };
    return { ok: false, reason: 'connection', error: err instanceof ConnectionError ? err : new ConnectionError(err) };
  }

  #report(change: StateChange, failedProbes: number): void {
    const { logger } = this.#options;
    if (change.state === 'reconnecting') {
      logger.warn(
        `memcached connection down after ${change.failures} consecutive failures (${change.server}); healing in the background`,
      );
    } else if (change.previous === 'reconnecting' && change.state === 'connected') {
      logger.info(`memcached connection healed after ${failedProbes} failed probes (${change.server})`);
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

function errorOf(notOk: NotOk, server: string): ReconnectingMemcachedError {
  if (notOk.error) return notOk.error;
  return notOk.reason === 'closed' ? new ClientClosedError() : new ConnectionDownError(server);
}

function ids(slots: readonly ServerSlot[]): string {
  return slots.map((slot) => slot.id).join(', ');
}

/** `host:port` of an address in any accepted form, e.g. `cache-a` -> `cache-a:11211`. */
function serverId(address: string): string {
  try {
    return formatServer(parseServers([address])[0]!);
  } catch {
    return address;
  }
}
