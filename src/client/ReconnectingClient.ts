import type { Actor } from 'xstate';
import type { PoolMachine } from '../../machines/poolMachine';
import type { CallOptions } from '../api/CallOptions';
import type { Client, ConnectionActor, ConnectionState, ServerStatus, SetItem, StateListener } from '../api/Client';
import type { FetchOptions, InvalidateOptions } from '../api/fetchOptions';
import type { DeleteMultiResult, GetMultiResult, GetResult, SetMultiResult } from '../api/results';
import type { Codec } from '../codec/Codec';
import { ADMIN_COMMANDS, type AdminCommandName } from '../commands/adminCommands';
import { KEY_COMMANDS, type KeyCommandName } from '../commands/keyCommands';
import type { ResolvedOptions } from '../config/options';
import { parseServers, type ServerList } from '../config/parseServers';
import { EXPIRATION_LIMITS } from '../config/protocol';
import { ClientClosedError } from '../core/errors';
import { validateKey } from '../core/validation';
import { Discovery } from '../discovery/Discovery';
import { CallRunner } from '../engine/CallRunner';
import type { ServerConnection } from '../pool/ServerConnection';
import { ServerPool } from '../pool/ServerPool';
import type { PortFactory } from '../port/MemcachedPort';
import { attachAdminCommands } from './adminCommand';
import { BatchCommands } from './BatchCommands';
import type { ClientParts } from './ClientParts';
import { commandParts } from './commandParts';
import { KeyCommands } from './KeyCommands';
import { KeyPrefix } from './KeyPrefix';
import { attachKeyCommands } from './keyCommand';
import { ReadThrough } from './ReadThrough';
import { reportStateChange } from './reportStateChange';
import { Values } from './Values';

/** The client's methods made from the command specs, by the loops in its constructor. */
export interface ReconnectingClient<V = Buffer, In = Buffer | string>
  extends Pick<Client<V, In>, KeyCommandName | AdminCommandName> {}

/**
 * The client, composed of its parts: the commands on one key and on every server made from their
 * specs (src/commands/, attached by loops), `get` and `set` on their hot path (KeyCommands), the
 * commands over many keys and `ping` (BatchCommands), read-through (ReadThrough); each validates,
 * routes each call to its server(s) and lets the engine run it there. And the lifecycle: state,
 * servers, subscribe, close.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above types the attached methods
export class ReconnectingClient<V = Buffer, In = Buffer | string> implements Client<V, In> {
  readonly #keys: KeyCommands<V, In>;
  readonly #batch: BatchCommands<V, In>;
  readonly #calls: CallRunner;
  readonly #listeners: Set<StateListener>;
  readonly #pool: ServerPool;
  readonly #readThrough: ReadThrough<V, In>;
  readonly #discovery: Discovery | undefined;
  readonly keyPrefix: string;

  constructor(options: ResolvedOptions, portFactory: PortFactory, random: () => number = Math.random) {
    const calls = new CallRunner(options.clock, options.timeoutMs, options.name);
    const listeners = new Set<StateListener>();
    const pool = new ServerPool(options, portFactory, random, (change, failedProbes) =>
      reportStateChange(options, listeners, change, failedProbes),
    );
    // The codec step, on the way in and out of every value-carrying command.
    const values = new Values(options.codec as Codec<V, In> | undefined);
    const prefix = new KeyPrefix(options.keyPrefix);
    // The expirations the protocol carries faithfully: larger ones are refused before any I/O.
    const expirationLimit = EXPIRATION_LIMITS[options.protocol];
    const { logger, unixSeconds } = options;
    const parts: ClientParts<V, In> = {
      calls,
      pool,
      prefix,
      values,
      logger,
      unixSeconds,
      expirations: expirationLimit,
    };
    this.#keys = new KeyCommands(parts);
    this.#batch = new BatchCommands(parts);
    attachKeyCommands(this, KEY_COMMANDS, parts, commandParts(parts));
    attachAdminCommands(this, ADMIN_COMMANDS, this.#batch as BatchCommands<unknown, unknown>);
    this.#calls = calls;
    this.#listeners = listeners;
    this.#pool = pool;
    this.keyPrefix = options.keyPrefix;
    const settings = {
      clock: options.clock,
      logger: options.logger,
      unixSeconds: options.unixSeconds,
      expirationLimit,
    };
    this.#readThrough = new ReadThrough(calls, (key) => pool.serverFor(key), prefix, values, settings, random);
    const { discovery } = options;
    this.#discovery =
      discovery === undefined
        ? undefined
        : new Discovery(
            { ...options, discovery },
            (servers) => this.setServers(servers.map((server) => ({ address: server.id, weight: server.weight }))),
            random,
          );
    this.#discovery?.start();
  }

  /** The discovery actor (see `discovery`), or undefined when the servers are a fixed list. */
  get discoveryActor(): Discovery['actor'] | undefined {
    return this.#discovery?.actor;
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
    const members = this.#pool.members;
    return members.length > 0 && members.every((member) => member.port !== undefined);
  }

  servers(): ServerStatus[] {
    return this.#pool.statuses();
  }

  setServers(servers: ServerList): void {
    const parsed = parseServers(servers);
    if (this.#calls.closed) throw new ClientClosedError();
    this.#pool.setServers(parsed);
  }

  get(key: string, opts?: CallOptions): Promise<GetResult<V>> {
    return this.#keys.get(key, opts);
  }

  set(item: SetItem<In> | null | undefined, opts?: CallOptions): Promise<boolean> {
    return this.#keys.set(item, opts);
  }

  getMulti(keys: readonly string[], opts?: CallOptions): Promise<GetMultiResult<V>> {
    return this.#batch.getMulti(keys, opts);
  }

  setMulti(items: readonly SetItem<In>[], opts?: CallOptions): Promise<SetMultiResult> {
    return this.#batch.setMulti(items, opts);
  }

  deleteMulti(keys: readonly string[], opts?: CallOptions): Promise<DeleteMultiResult> {
    return this.#batch.deleteMulti(keys, opts);
  }

  ping(opts?: CallOptions): Promise<void> {
    return this.#batch.ping(opts);
  }

  fetch(key: string, loader: () => In | Promise<In>, options: FetchOptions): Promise<V> {
    return this.#readThrough.fetch(key, loader, options);
  }

  invalidate(key: string, options?: InvalidateOptions): Promise<boolean> {
    return this.#readThrough.invalidate(key, options);
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
      this.#discovery?.stop();
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
