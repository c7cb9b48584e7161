import type { CallOptions } from '../api/CallOptions';
import type { CasItem, SetItem } from '../api/Client';
import type { CounterOptions } from '../api/CounterOptions';
import type { GetsItem, Item } from '../api/Item';
import type { CounterResult, GetResult, GetsResult, NotOk, StoreResult, TouchResult } from '../api/results';
import { isPromiseLike } from '../codec/Codec';
import type { CommandKind } from '../core/channels';
import type { KeyBytes } from '../core/KeyBytes';
import type { Logger } from '../core/logger';
import {
  CAS_ITEM_FIELDS,
  counterValue,
  type ExpirationLimit,
  validateCas,
  validateExpiration,
  validateItem,
} from '../core/validation';
import type { CallRunner, PortCall } from '../engine/CallRunner';
import type { ServerPool } from '../pool/ServerPool';
import type { CounterMode, MemcachedPort, StoreMode, CasItem as WireCasItem } from '../port/MemcachedPort';
import {
  answeredFalse,
  answeredTrue,
  passNotOk,
  refusedSet,
  toBigCounter,
  toNumberCounter,
  toStoreResult,
  toTouchResult,
} from './answers';
import { CAS, CONCAT, COUNTER, DELETE, GAT, GET, GETS, SET, STORE, TOUCH } from './commandKinds';
import { counterPlan } from './counterPlan';
import { guarded } from './guarded';
import type { KeyPrefix } from './KeyPrefix';
import { type Outgoing, outgoing, rawBytes, whenEncoded } from './outgoing';
import { decodeNotOk, type Values } from './Values';

type PortOp<T> = (port: MemcachedPort) => Promise<T>;

// The hot commands' port calls, made once per client and handed the wire key or item (CallRunner.run)
// and the bytes the key's validation kept.
const portGetWith =
  (kept: KeyBytes): PortCall<string, Item | undefined> =>
  (port, wire, outcome) => {
    if (port.getInto === undefined) return port.get(wire);
    port.getInto(wire, outcome, kept);
    return undefined;
  };
const portSetWith =
  (kept: KeyBytes): PortCall<Outgoing, void> =>
  (port, out, outcome) => {
    if (port.setInto === undefined) return port.set(out.key, out.value, out.flags, out.expiration);
    port.setInto(out.key, out.value, out.flags, out.expiration, outcome, kept);
    return undefined;
  };
const portGets = (port: MemcachedPort, wire: string) => port.gets(wire);
const portDelete = (port: MemcachedPort, wire: string) => port.delete(wire);
type KeyCall<T, R> = [op: PortOp<T>, ok: (value: T) => R, notOk: (notOk: NotOk) => R, opts?: CallOptions];

/**
 * The single-key commands: each validates its input before any I/O, then runs one call on the
 * server that owns the key (chosen from the caller's key; the wire key has the prefix).
 */
export class KeyCommands<V, In> {
  readonly #calls: CallRunner;
  readonly #pool: ServerPool;
  readonly #prefix: KeyPrefix;
  readonly #values: Values<V, In>;
  // Unix time by the client's clock, for absolute expirations.
  readonly #unixSeconds: () => number;
  // The protocol's expirations: one it cannot send faithfully is refused before any I/O.
  readonly #expirations: ExpirationLimit;
  // Answers are decoded (an async codec's answer is a promise the call's promise adopts).
  readonly #toGetResult: (item: Item | undefined) => Answer<GetResult<V>>;
  readonly #toGetsResult: (item: WireCasItem | undefined) => Answer<GetsResult<V>>;
  readonly #setNotOk: (notOk: NotOk, item: Outgoing) => false;
  readonly #portGet: PortCall<string, Item | undefined>;
  readonly #portSet: PortCall<Outgoing, void>;

  constructor(
    calls: CallRunner,
    pool: ServerPool,
    prefix: KeyPrefix,
    values: Values<V, In>,
    logger: Logger,
    unixSeconds: () => number,
    expirations: ExpirationLimit,
  ) {
    this.#calls = calls;
    this.#pool = pool;
    this.#prefix = prefix;
    this.#values = values;
    this.#unixSeconds = unixSeconds;
    this.#expirations = expirations;
    this.#toGetResult = (item) => values.getResult(prefix.item(item));
    this.#toGetsResult = (item) => getsResult(values, prefix.item(item));
    this.#setNotOk = refusedSet(logger);
    this.#portGet = portGetWith(prefix.kept);
    this.#portSet = portSetWith(prefix.kept);
  }

  get(key: string, opts?: CallOptions): Promise<GetResult<V>> {
    return this.#keyed(GET, key, opts, this.#portGet, this.#toGetResult, passNotOk) as Promise<GetResult<V>>;
  }

  gets(key: string, opts?: CallOptions): Promise<GetsResult<V>> {
    return this.#keyed(GETS, key, opts, portGets, this.#toGetsResult, passNotOk) as Promise<GetsResult<V>>;
  }

  gat(key: string, expiration: number, opts?: CallOptions): Promise<GetResult<V>> {
    const op = (port: MemcachedPort, wire: string) => port.gat(wire, expiration);
    const check = () => validateExpiration(expiration, this.#unixSeconds, this.#expirations);
    return this.#keyed(GAT, key, opts, op, this.#toGetResult, passNotOk, check) as Promise<GetResult<V>>;
  }

  touch(key: string, expiration: number, opts?: CallOptions): Promise<TouchResult> {
    const op = (port: MemcachedPort, wire: string) => port.touch(wire, expiration);
    return this.#keyed(TOUCH, key, opts, op, toTouchResult, passNotOk, () =>
      validateExpiration(expiration, this.#unixSeconds, this.#expirations),
    );
  }

  delete(key: string, opts?: CallOptions): Promise<boolean> {
    return this.#keyed(DELETE, key, opts, portDelete, answeredTrue, answeredFalse);
  }

  /** True when stored. `set(null)` and `set(undefined)` are trivially true, as in the Go original. */
  set(item: SetItem<In> | null | undefined, opts?: CallOptions): Promise<boolean> {
    if (item === null || item === undefined) return Promise.resolve(true);
    return guarded(() =>
      whenEncoded(this.#outgoing(item, 'set'), (out) =>
        this.#calls.run(
          this.#pool.serverFor(out.userKey),
          this.#portSet,
          out,
          answeredTrue,
          this.#setNotOk,
          SET,
          1,
          opts,
        ),
      ),
    );
  }

  add(item: SetItem<In>, opts?: CallOptions): Promise<StoreResult> {
    return this.#store('add', item, opts);
  }

  replace(item: SetItem<In>, opts?: CallOptions): Promise<StoreResult> {
    return this.#store('replace', item, opts);
  }

  append(key: string, value: Buffer | string, opts?: CallOptions): Promise<StoreResult> {
    return this.#concat('append', key, value, opts);
  }

  prepend(key: string, value: Buffer | string, opts?: CallOptions): Promise<StoreResult> {
    return this.#concat('prepend', key, value, opts);
  }

  cas(item: CasItem<In>, opts?: CallOptions): Promise<StoreResult> {
    return guarded(() => {
      validateItem(item, 'cas', CAS_ITEM_FIELDS);
      const cas = item.cas;
      const read = this.#outgoing(item, 'cas');
      validateCas(cas);
      return whenEncoded(read, (out) =>
        this.#run(CAS, out.userKey, (port) => port.cas(out, cas), toStoreResult, passNotOk, opts),
      );
    });
  }

  incr(key: string, delta?: number, opts?: CounterOptions): Promise<CounterResult<number>>;
  incr(key: string, delta: bigint, opts?: CounterOptions): Promise<CounterResult<bigint>>;
  incr(key: string, delta: number | bigint = 1, opts?: CounterOptions): Promise<CounterResult<number | bigint>> {
    return this.#counter('incr', key, delta, opts);
  }

  decr(key: string, delta?: number, opts?: CounterOptions): Promise<CounterResult<number>>;
  decr(key: string, delta: bigint, opts?: CounterOptions): Promise<CounterResult<bigint>>;
  decr(key: string, delta: number | bigint = 1, opts?: CounterOptions): Promise<CounterResult<number | bigint>> {
    return this.#counter('decr', key, delta, opts);
  }

  #store(mode: StoreMode, item: SetItem<In>, opts: CallOptions | undefined): Promise<StoreResult> {
    return guarded(() =>
      whenEncoded(this.#outgoing(item, mode), (out) =>
        this.#run(STORE[mode], out.userKey, (port) => port.store(mode, out), toStoreResult, passNotOk, opts),
      ),
    );
  }

  #outgoing(item: unknown, command: string) {
    const values = this.#values as Values<unknown, In>;
    return outgoing(item, command, this.#prefix, values, this.#unixSeconds, this.#expirations);
  }

  #concat(mode: 'append' | 'prepend', key: string, raw: unknown, opts: CallOptions | undefined): Promise<StoreResult> {
    return guarded(() => {
      const wire = this.#prefix.key(key);
      const value = rawBytes(raw);
      return this.#run(CONCAT[mode], key, (port) => port.concat(mode, wire, value), toStoreResult, passNotOk, opts);
    });
  }

  #counter(
    mode: CounterMode,
    key: string,
    delta: unknown,
    opts: CounterOptions | undefined,
  ): Promise<CounterResult<number | bigint>> {
    return guarded(() => {
      const wire = this.#prefix.key(key);
      const step = counterValue('delta', delta);
      const { initial, expiration, call } = counterPlan(opts, this.#unixSeconds, this.#expirations);
      const toResult = typeof delta === 'bigint' ? toBigCounter : toNumberCounter;
      const op = (port: MemcachedPort) => port.counter(mode, wire, step, initial, expiration);
      return this.#run<bigint | undefined, CounterResult<number | bigint>>(
        COUNTER[mode],
        key,
        op,
        toResult,
        passNotOk,
        call,
      );
    });
  }

  /**
   * A call on one key: validates the key, then whatever `check` checks, before any I/O; then runs
   * `op` with the wire key.
   */
  #keyed<T, R>(
    kind: CommandKind<T>,
    key: string,
    opts: CallOptions | undefined,
    op: PortCall<string, T>,
    onOk: (value: T) => R,
    onNotOk: (notOk: NotOk) => R,
    check?: () => void,
  ): Promise<R> {
    let wire: string;
    try {
      wire = this.#prefix.key(key);
      check?.();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#calls.run(this.#pool.serverFor(key), op, wire, onOk, onNotOk, kind, 1, opts);
  }

  // On the key's server, tracing one key; the rest as CallRunner.run takes it.
  #run<T, R>(kind: CommandKind<T>, key: string, ...[op, ok, notOk, opts]: KeyCall<T, R>): Promise<R> {
    return this.#calls.run(this.#pool.serverFor(key), op, undefined, ok, notOk, kind, 1, opts);
  }
}

/** A mapped answer, or the promise of one (an async codec). */
type Answer<R> = R | Promise<R>;

/** `gets`'s answer: the item decoded, with its CAS token; a value that does not decode answers `decode`. */
function getsResult<V, In>(values: Values<V, In>, item: WireCasItem | undefined): Answer<GetsResult<V>> {
  if (item === undefined) return { ok: true, item: undefined };
  const cas = item.cas as GetsItem['cas'];
  try {
    const decoded = values.decode(item);
    if (!isPromiseLike(decoded)) return { ok: true, item: { ...decoded, cas } };
    return Promise.resolve(decoded).then((done) => ({ ok: true, item: { ...done, cas } }), decodeNotOk);
  } catch (err) {
    return decodeNotOk(err);
  }
}
