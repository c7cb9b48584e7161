import type { Actor } from 'xstate';
import type { PoolMachine } from '../../machines/poolMachine';
import type { CallOptions } from '../api/CallOptions';
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
import { CLOSED, type GetMultiResult, type GetResult, NO_KEYS, type NotOk } from '../api/results';
import { type Codec, type Encoded, isPromiseLike } from '../codec/Codec';
import type { ClientOptions, ResolvedOptions } from '../config/options';
import { parseServers } from '../config/parseServers';
import { publishState } from '../core/channels';
import { ClientClosedError } from '../core/errors';
import { validateExpiration, validateItem, validateKey, validateKeys } from '../core/validation';
import { CallRunner } from '../engine/CallRunner';
import type { ServerConnection } from '../pool/ServerConnection';
import { ServerPool } from '../pool/ServerPool';
import type { MemcachedPort, PortFactory } from '../port/MemcachedPort';
import { DELETE, GET, GET_MULTI, PING, SET } from './commandKinds';
import { everyServer } from './everyServer';
import { spread } from './spread';
import { Values } from './Values';

// The answer mappers every call of their kind shares, so a call allocates none of them.
const passNotOk = (notOk: NotOk): NotOk => notOk;
const answeredTrue = (): boolean => true;
const answeredFalse = (): boolean => false;
const answeredNothing = (): undefined => undefined;

/** The client: routes each call to its server and lets the engine run it there. */
export class ReconnectingClient<V = Buffer, In = Buffer | string> implements Client<V, In> {
  readonly #options: ResolvedOptions;
  // The codec step, on the way in and out of every value-carrying command.
  readonly #values: Values<V, In>;
  readonly #calls: CallRunner;
  readonly #listeners = new Set<StateListener>();
  readonly #pool: ServerPool;

  constructor(options: ResolvedOptions, portFactory: PortFactory, random: () => number = Math.random) {
    this.#options = options;
    this.#values = new Values(options.codec as Codec<V, In> | undefined);
    this.#calls = new CallRunner(options.clock, options.timeoutMs);
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
    const members = this.#pool.members;
    if (server === undefined) {
      if (members.length === 1) return (members[0] as ServerConnection).actor;
      throw new TypeError(`connectionActor() needs a server: there are ${members.length} (${ids(members)})`);
    }
    const member = this.#pool.member(server) ?? this.#pool.member(serverId(server));
    if (!member) throw new RangeError(`${JSON.stringify(server)} is not a server of this client (${ids(members)})`);
    return member.actor;
  }

  connectionAvailable(key?: string): boolean {
    if (key !== undefined) {
      validateKey(key);
      return this.#pool.serverFor(key).port !== undefined;
    }
    return this.#pool.members.every((member) => member.port !== undefined);
  }

  servers(): ServerStatus[] {
    return this.#pool.statuses();
  }

  setServers(servers: ClientOptions['servers']): void {
    const parsed = parseServers(servers);
    if (this.#calls.closed) throw new ClientClosedError();
    this.#pool.setServers(parsed);
  }

  get(key: string, opts?: CallOptions): Promise<GetResult<V>> {
    try {
      validateKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    // An async codec's answer is a promise of the result, which the call's promise adopts.
    return this.#calls.run<Item | undefined, GetResult<V> | Promise<GetResult<V>>>(
      this.#pool.serverFor(key),
      (port) => port.get(key),
      this.#values.getResult,
      passNotOk,
      GET,
      1,
      opts,
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
    const members = this.#pool.members;
    if (members.length === 1) {
      const only = members[0] as ServerConnection;
      const answer = (items: Map<string, Item>) => this.#values.itemsResult(items, NO_KEYS);
      const call = this.#calls.run(only, (port) => port.getMulti(list), answer, passNotOk, GET_MULTI, list.length);
      return call as Promise<GetMultiResult<V>>;
    }
    return this.#getMultiSpread(list);
  }

  set(item: SetItem<In> | null | undefined, opts?: CallOptions): Promise<boolean> {
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
    const server = this.#pool.serverFor(key);
    const store = ({ value, flags }: Encoded) => {
      const write = (port: MemcachedPort) => port.set(key, value, flags, expiration);
      return this.#calls.run(server, write, answeredTrue, answeredFalse, SET, 1, opts);
    };
    return isPromiseLike(encoded) ? encoded.then(store) : store(encoded);
  }

  delete(key: string, opts?: CallOptions): Promise<boolean> {
    try {
      validateKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const server = this.#pool.serverFor(key);
    return this.#calls.run(server, (port) => port.delete(key), answeredTrue, answeredFalse, DELETE, 1, opts);
  }

  ping(): Promise<void> {
    return everyServer(this.#calls, this.#pool.members, (port) => port.ping(), PING).then(answeredNothing);
  }

  subscribe(listener: StateListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe expects a function');
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): Promise<void> {
    if (!this.#calls.closed) {
      // Every connection actor enters `closed`: its delayed probe and probe in flight are cancelled
      // and its port closed (which fails the calls pending on it); the deadlines settle the rest.
      this.#calls.close();
      this.#pool.close();
      this.#calls.expireAll();
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
    if (keys.length === 0) {
      return Promise.resolve(this.#calls.closed ? CLOSED : { ok: true, items: new Map(), unavailable: NO_KEYS });
    }
    const items = new Map<string, Item>();
    return spread(
      this.#calls,
      this.#pool,
      keys,
      (key) => key,
      GET_MULTI,
      (port, group) => port.getMulti(group),
      (hits) => {
        for (const [key, item] of hits) items.set(key, item);
      },
    ).then(({ unavailable, answered, firstNotOk }) =>
      answered === 0 && firstNotOk ? firstNotOk : this.#values.itemsResult(items, unavailable),
    );
  }

  #report(change: StateChange, failedProbes: number): void {
    publishState(change);
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

function ids(members: readonly ServerConnection[]): string {
  return members.map((member) => member.id).join(', ');
}

/** `host:port` of an address in any accepted form, e.g. `cache-a` -> `cache-a:11211`. */
function serverId(address: string): string {
  try {
    return parseServers([address])[0]!.id;
  } catch {
    return address;
  }
}
