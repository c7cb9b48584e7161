import type { CallOptions } from '../api/CallOptions';
import type { CasItem, SetItem } from '../api/Client';
import type { CounterOptions } from '../api/CounterOptions';
import type { Item } from '../api/Item';
import type { CounterResult, GetResult, GetsResult, NotOk, StoreResult, TouchResult } from '../api/results';
import type { CommandKind } from '../core/channels';
import { CAS_ITEM_FIELDS, counterValue, validateCas, validateExpiration, validateItem } from '../core/validation';
import type { CallDeadline } from '../engine/CallDeadline';
import type { PortCall } from '../engine/CallRunner';
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
import type { ClientParts } from './ClientParts';
import { CAS, CONCAT, COUNTER, DELETE, GAT, GET, GETS, SET, STORE, TOUCH } from './commandKinds';
import { counterPlan } from './counterPlan';
import { guarded } from './guarded';
import { type Outgoing, outgoing, rawBytes, whenEncoded } from './outgoing';
import { portDelete, portGets, portGetWith, portSetWith } from './portCalls';

type PortOp<T> = (port: MemcachedPort) => Promise<T>;
type KeyCall<T, R> = [op: PortOp<T>, ok: (value: T) => R, notOk: (notOk: NotOk) => R, opts?: CallOptions];

/**
 * The single-key commands: each validates its input before any I/O, then runs one call on the
 * server that owns the key (chosen from the caller's key; the wire key has the prefix).
 */
export class KeyCommands<V, In> {
  readonly #c: ClientParts<V, In>;
  // Answers are decoded (an async codec's answer is a promise the call's promise adopts).
  readonly #toGetResult: (item: Item | undefined, call: CallDeadline) => Answer<GetResult<V>>;
  readonly #toGetsResult: (item: WireCasItem | undefined, call: CallDeadline) => Answer<GetsResult<V>>;
  readonly #setNotOk: (notOk: NotOk, item: Outgoing) => false;
  readonly #portGet: PortCall<string, Item | undefined>;
  readonly #portSet: PortCall<Outgoing, void>;

  constructor(parts: ClientParts<V, In>) {
    const { prefix, values } = parts;
    this.#c = parts;
    this.#toGetResult = (item, call) => values.getResult(prefix.item(item), call);
    this.#toGetsResult = (item, call) => values.getsResult(prefix.item(item), call);
    this.#setNotOk = refusedSet(parts.logger);
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
    const check = () => validateExpiration(expiration, this.#c.unixSeconds, this.#c.expirations);
    return this.#keyed(GAT, key, opts, op, this.#toGetResult, passNotOk, check) as Promise<GetResult<V>>;
  }

  touch(key: string, expiration: number, opts?: CallOptions): Promise<TouchResult> {
    const op = (port: MemcachedPort, wire: string) => port.touch(wire, expiration);
    return this.#keyed(TOUCH, key, opts, op, toTouchResult, passNotOk, () =>
      validateExpiration(expiration, this.#c.unixSeconds, this.#c.expirations),
    );
  }

  delete(key: string, opts?: CallOptions): Promise<boolean> {
    return this.#keyed(DELETE, key, opts, portDelete, answeredTrue, answeredFalse);
  }

  /** True when stored. `set(null)` and `set(undefined)` are trivially true, as in the Go original. */
  set(item: SetItem<In> | null | undefined, opts?: CallOptions): Promise<boolean> {
    if (item === null || item === undefined) return Promise.resolve(true);
    return guarded(() =>
      whenEncoded(this.#outgoing(item, 'set'), (out) => {
        const { calls, pool } = this.#c;
        return calls.run(pool.serverFor(out.userKey), this.#portSet, out, answeredTrue, this.#setNotOk, SET, 1, opts);
      }),
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
    const { prefix, values } = this.#c as ClientParts<unknown, In>;
    return outgoing(item, command, prefix, values, this.#c.unixSeconds, this.#c.expirations);
  }

  #concat(mode: 'append' | 'prepend', key: string, raw: unknown, opts: CallOptions | undefined): Promise<StoreResult> {
    return guarded(() => {
      const wire = this.#c.prefix.key(key);
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
      const wire = this.#c.prefix.key(key);
      const step = counterValue('delta', delta);
      const { initial, expiration, call } = counterPlan(opts, this.#c.unixSeconds, this.#c.expirations);
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
    onOk: (value: T, call: CallDeadline) => R,
    onNotOk: (notOk: NotOk) => R,
    check?: () => void,
  ): Promise<R> {
    let wire: string;
    try {
      wire = this.#c.prefix.key(key);
      check?.();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#c.calls.run(this.#c.pool.serverFor(key), op, wire, onOk, onNotOk, kind, 1, opts);
  }

  // On the key's server, tracing one key; the rest as CallRunner.run takes it.
  #run<T, R>(kind: CommandKind<T>, key: string, ...[op, ok, notOk, opts]: KeyCall<T, R>): Promise<R> {
    return this.#c.calls.run(this.#c.pool.serverFor(key), op, undefined, ok, notOk, kind, 1, opts);
  }
}

/** A mapped answer, or the promise of one (an async codec). */
type Answer<R> = R | Promise<R>;
