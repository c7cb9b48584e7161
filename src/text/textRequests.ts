import type { Item } from '../api/Item';
import { isError, refusal } from '../connection/lineRequests';
import { NO_ID, type WireRequest } from '../connection/WireRequest';
import { ConnectionError } from '../core/errors';
import { isPlaceholderItem } from '../port/LeasePort';
import type { StoreStatus } from '../port/MemcachedPort';
import type { Outcome } from '../port/Outcome';
import type { TextResponse } from './TextResponse';

/** A request on a text connection: its answers carry no id, so they are paired by order (span 0). */
export type TextRequest = WireRequest<TextResponse>;

/**
 * One key's retrieval (`get`, `gets`, `gat`): at most one `VALUE` line, for that key, then `END`.
 * An error line is memcached's (or a proxy's) refusal, the caller's; anything else fails the
 * connection.
 */
export class OneRetrieval<I extends Item> implements TextRequest {
  readonly span = 0;
  id = NO_ID;
  #item: I | undefined = undefined;
  constructor(
    readonly command: string,
    readonly key: string,
    readonly withCas: boolean,
    readonly outcome: Outcome<I | undefined>,
  ) {}

  handle(response: TextResponse): boolean {
    if (response.isValue) {
      if (this.#item !== undefined || !response.keyIs(this.key))
        throw response.malformed(`a value ${this.command} did not ask for`);
      const item = { key: this.key, value: response.value!, flags: response.flags };
      this.#item = (this.withCas ? { ...item, cas: response.cas } : item) as I;
      return false;
    }
    if (response.isEnd) {
      const item = this.#item;
      // A fetch's placeholder (over meta, from any client) is a key being loaded, not a value.
      this.outcome.succeeded(item !== undefined && isPlaceholderItem(item.value, item.flags) ? undefined : item);
    } else if (isError(response) && this.#item === undefined) this.outcome.failed(refusal(this.command, response));
    else throw response.malformed(`an answer ${this.command} cannot take`);
    return true;
  }

  fail(err: Error): void {
    this.outcome.failed(err);
  }
}

/**
 * A getMulti's `get k1 k2 ...` lines (`lines` of them, each answered by its hits then `END`, or by
 * an error line): the hits in the order of `keys`, each of them, at most once.
 */
export class MultiRetrieval implements TextRequest {
  readonly span = 0;
  id = NO_ID;
  readonly #items = new Map<string, Item>();
  // The key the next value may be for, at the earliest: memcached answers in the order asked.
  #next = 0;
  #ends = 0;
  constructor(
    readonly keys: readonly string[],
    readonly lines: number,
    readonly resolve: (items: Map<string, Item>) => void,
    readonly reject: (err: unknown) => void,
    /** Told of an error line: a proxy (twemproxy) closes the connection after one. */
    readonly refused: () => void = () => {},
  ) {}

  handle(response: TextResponse): boolean {
    if (response.isValue) {
      const keys = this.keys;
      let i = this.#next;
      while (i < keys.length && !response.keyIs(keys[i]!)) i++;
      const key = keys[i];
      if (key === undefined) throw response.malformed('a value getMulti did not ask for, or out of order');
      this.#next = i + 1;
      const value = response.value!;
      if (!isPlaceholderItem(value, response.flags)) this.#items.set(key, { key, value, flags: response.flags });
      return false;
    }
    if (!response.isEnd) {
      if (!isError(response)) throw response.malformed('an answer get cannot take');
      // Answered at once: a proxy (twemproxy) may close the connection after it, and the lines
      // still to come are then read by no one but this request, which stays first until they are.
      this.reject(refusal('get', response));
      this.refused();
    }
    if (++this.#ends < this.lines) return false;
    this.resolve(this.#items);
    return true;
  }

  fail(err: Error): void {
    this.reject(err);
  }
}

/**
 * Pipelined requests of one answer line each (a setMulti's sets, a deleteMulti's deletes), read
 * in order by `read` with the request's index. A refusal of one is kept (the first rejects the
 * whole, unless `read` counts it); an answer of another shape fails the connection.
 */
export class Answers<T> implements TextRequest {
  readonly span = 0;
  id = NO_ID;
  #answers = 0;
  #failed: unknown;
  constructor(
    readonly count: number,
    readonly result: T,
    readonly read: (response: TextResponse, index: number, result: T) => void,
    readonly resolve: (value: T) => void,
    readonly reject: (err: unknown) => void,
  ) {}

  handle(response: TextResponse): boolean {
    try {
      this.read(response, this.#answers, this.result);
    } catch (err) {
      if (err instanceof ConnectionError) throw err;
      this.#failed ??= err;
    }
    if (++this.#answers < this.count) return false;
    if (this.#failed === undefined) this.resolve(this.result);
    else this.reject(this.#failed);
    return true;
  }

  fail(err: Error): void {
    this.reject(err);
  }
}

/** `set` (and every store): STORED, or a refusal. */
export function readStored(response: TextResponse): void {
  if (!response.is('STORED')) throw refusal('set', response);
}

/**
 * A store's answer as the binary protocol names it: NOT_STORED is `refused` (an `add` refused
 * because the key exists, a `replace` because it does not), EXISTS and NOT_FOUND are a `cas`'s.
 */
export function storeStatus(response: TextResponse, refused: StoreStatus): StoreStatus {
  if (response.is('STORED')) return 'stored';
  if (response.is('NOT_STORED')) return refused;
  if (response.is('EXISTS')) return 'exists';
  if (response.is('NOT_FOUND')) return 'not_found';
  throw refusal('store', response);
}

/** An answer that is `yes` (true) or NOT_FOUND (false): `delete` (DELETED), `touch` (TOUCHED). */
export function readFound(response: TextResponse, command: string, yes: string): boolean {
  if (response.is(yes)) return true;
  if (response.is('NOT_FOUND')) return false;
  throw refusal(command, response);
}

/** `incr`/`decr`: the counter's new value, or undefined when the key is absent. */
export function readCounter(response: TextResponse): bigint | undefined {
  if (response.is('NOT_FOUND')) return undefined;
  if (isError(response)) throw refusal('incr', response);
  // memcached may pad a counter that shrank with spaces.
  const digits = response.line.trimEnd();
  if (!/^\d{1,20}$/.test(digits)) throw response.malformed('an answer incr cannot take');
  return BigInt(digits);
}

/** A request whose answer, whatever it is, calls `done` (which ends its connection). */
export function lastRequest(done: () => void): TextRequest {
  return {
    span: 0,
    id: NO_ID,
    handle: () => {
      done();
      return true;
    },
    fail: () => {},
  };
}
