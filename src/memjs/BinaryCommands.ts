import type { Item } from '../api/Item';
import type { ServerError } from '../core/errors';
import { promiseFor } from '../core/promiseFor';
import type { CasItem, CounterMode, MemcachedPort, StoreMode, StoreStatus, WireItem } from '../port/MemcachedPort';
import { type Outcome, PromiseOutcome } from '../port/Outcome';
import {
  COUNTER_NO_CREATE,
  OP_ADD,
  OP_APPEND,
  OP_DECREMENT,
  OP_DELETE,
  OP_DELETEQ,
  OP_FLUSH,
  OP_GAT,
  OP_GET,
  OP_GETKQ,
  OP_INCREMENT,
  OP_NOOP,
  OP_PREPEND,
  OP_REPLACE,
  OP_SET,
  OP_SETQ,
  OP_STAT,
  OP_TOUCH,
  OP_VERSION,
  STATUS_KEY_NOT_FOUND,
  STATUS_OK,
} from './binaryProtocol';
import {
  concatRequest,
  counterRequest,
  emptyRequest,
  expirationRequest,
  keyRequest,
  storeRequest,
} from './binaryRequest';
import { casItemOf, counterOf, foundOf, itemOf, okOf, statusError, storeStatusOf } from './binaryResponse';
import type { InPlaceResponse } from './memjsServer';
import { multiKeyRequest, multiStoreRequest } from './pipelinedRequest';

/** What a reader returns while the exchange goes on (more responses of a pipelined request to come). */
export const MORE: unique symbol = Symbol('more');
/**
 * Reads one response of an exchange (of the request for `key`): the answer, or `MORE`. Throws a
 * `ServerError` for a refusal. The hot commands' readers are shared functions, not closures.
 */
export type ResponseReader<T> = (response: InPlaceResponse, key: string) => T | typeof MORE;

const readGet: ResponseReader<Item | undefined> = (r, key) => itemOf('GET', key, r);
const readGets: ResponseReader<CasItem | undefined> = (r, key) => casItemOf(key, r);
const readGat: ResponseReader<Item | undefined> = (r, key) => itemOf('GAT', key, r);
const readSet: ResponseReader<void> = (r) => okOf('SET', r);
const readStore: Readonly<Record<StoreMode, ResponseReader<StoreStatus>>> = {
  set: (r) => storeStatusOf('SET', r),
  add: (r) => storeStatusOf('ADD', r),
  replace: (r) => storeStatusOf('REPLACE', r),
};
const readCas: ResponseReader<StoreStatus> = (r) => storeStatusOf('CAS', r);
const readConcat: Readonly<Record<'append' | 'prepend', ResponseReader<StoreStatus>>> = {
  append: (r) => storeStatusOf('APPEND', r),
  prepend: (r) => storeStatusOf('PREPEND', r),
};
const readDelete: ResponseReader<boolean> = (r) => foundOf('DELETE', r);
const readCounter: Readonly<Record<CounterMode, ResponseReader<bigint | undefined>>> = {
  incr: (r) => counterOf('INCR', r),
  decr: (r) => counterOf('DECR', r),
};
const readTouch: ResponseReader<boolean> = (r) => foundOf('TOUCH', r);
const readFlush: ResponseReader<void> = (r) => okOf('FLUSH', r);
const readPing: ResponseReader<void> = (r) => okOf('VERSION', r);
const readVersion: ResponseReader<string> = (r) => {
  okOf('VERSION', r);
  return r.val.toString('utf8');
};

const STORE_OPCODES: Readonly<Record<StoreMode, number>> = { set: OP_SET, add: OP_ADD, replace: OP_REPLACE };
const NO_STRINGS: string[] = [];

/**
 * Every command of the port in memcached's binary protocol: which request, and what its responses
 * mean. How a request reaches the server and its responses come back (memjs's socket here) is the
 * subclass's.
 */
export abstract class BinaryCommands implements Omit<MemcachedPort, 'close' | 'received'> {
  /** A request id (the header's opaque) that no request in flight on this connection has. */
  protected abstract nextOpaque(): number;
  /**
   * Writes `request` and delivers to `outcome` what `read` makes of the responses whose opaque is
   * `opaque` (or one of `also`: parts of a pipelined request with their own), once it has its
   * answer. `key`: what `read` is handed with each response.
   */
  protected abstract send<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    outcome: Outcome<T>,
    also?: readonly number[],
  ): void;

  /** `send`, its outcome as a promise. */
  protected exchange<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    also?: readonly number[],
  ): Promise<T> {
    const outcome = new PromiseOutcome<T>();
    const answer = promiseFor(outcome);
    this.send(request, opaque, read, key, outcome, also);
    return answer;
  }

  getInto(key: string, outcome: Outcome<Item | undefined>): void {
    const opaque = this.nextOpaque();
    this.send(keyRequest(OP_GET, key, opaque), opaque, readGet, key, outcome);
  }

  setInto(key: string, value: Buffer, flags: number, expiration: number, outcome: Outcome<void>): void {
    const opaque = this.nextOpaque();
    this.send(storeRequest(OP_SET, key, value, flags, expiration, opaque), opaque, readSet, key, outcome);
  }

  get(key: string): Promise<Item | undefined> {
    const opaque = this.nextOpaque();
    return this.exchange(keyRequest(OP_GET, key, opaque), opaque, readGet, key);
  }

  gets(key: string): Promise<CasItem | undefined> {
    const opaque = this.nextOpaque();
    return this.exchange(keyRequest(OP_GET, key, opaque), opaque, readGets, key);
  }

  gat(key: string, expiration: number): Promise<Item | undefined> {
    const opaque = this.nextOpaque();
    const request = expirationRequest(OP_GAT, key, expiration, opaque);
    return this.exchange(request, opaque, readGat, key);
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    const opaque = this.nextOpaque();
    const request = storeRequest(OP_SET, key, value, flags, expiration, opaque);
    return this.exchange(request, opaque, readSet, key);
  }

  store(mode: StoreMode, item: WireItem): Promise<StoreStatus> {
    const opaque = this.nextOpaque();
    const request = storeRequest(STORE_OPCODES[mode], item.key, item.value, item.flags, item.expiration, opaque);
    return this.exchange(request, opaque, readStore[mode], item.key);
  }

  cas(item: WireItem, cas: bigint): Promise<StoreStatus> {
    const opaque = this.nextOpaque();
    const request = storeRequest(OP_SET, item.key, item.value, item.flags, item.expiration, opaque, cas);
    return this.exchange(request, opaque, readCas, item.key);
  }

  concat(mode: 'append' | 'prepend', key: string, value: Buffer): Promise<StoreStatus> {
    const opaque = this.nextOpaque();
    const request = concatRequest(mode === 'append' ? OP_APPEND : OP_PREPEND, key, value, opaque);
    return this.exchange(request, opaque, readConcat[mode], key);
  }

  delete(key: string): Promise<boolean> {
    const opaque = this.nextOpaque();
    return this.exchange(keyRequest(OP_DELETE, key, opaque), opaque, readDelete, key);
  }

  counter(
    mode: CounterMode,
    key: string,
    delta: bigint,
    initial?: bigint,
    expiration = 0,
  ): Promise<bigint | undefined> {
    const opaque = this.nextOpaque();
    const opcode = mode === 'incr' ? OP_INCREMENT : OP_DECREMENT;
    const request =
      initial === undefined
        ? counterRequest(opcode, key, delta, 0n, COUNTER_NO_CREATE, opaque)
        : counterRequest(opcode, key, delta, initial, expiration, opaque);
    return this.exchange(request, opaque, readCounter[mode], key);
  }

  touch(key: string, expiration: number): Promise<boolean> {
    const opaque = this.nextOpaque();
    const request = expirationRequest(OP_TOUCH, key, expiration, opaque);
    return this.exchange(request, opaque, readTouch, key);
  }

  // A real multi-get: one GETKQ per key (quiet: only hits answer) and one NOOP, written in one go,
  // all with the same opaque, so one quiet handler collects the hits until the NOOP's empty reply.
  getMulti(keys: readonly string[]): Promise<Map<string, Item>> {
    const items = new Map<string, Item>();
    if (keys.length === 0) return Promise.resolve(items);
    const opaque = this.nextOpaque();
    let failed: ServerError | undefined;
    // memcached answers the hits in the order they were asked for, so each hit's key is found from
    // the previous one on, compared in place instead of decoded; were the order ever different,
    // the key is decoded.
    let next = 0;
    const read: ResponseReader<Map<string, Item>> = (response) => {
      if (response.opcode === OP_NOOP) {
        if (failed) throw failed;
        return items;
      }
      if (response.status !== STATUS_OK) {
        failed ??= statusError('GETKQ', response.status);
        return MORE;
      }
      let key: string | undefined;
      for (let i = next; i < keys.length; i++) {
        if (response.keyIs(keys[i] as string)) {
          key = keys[i] as string;
          next = i + 1;
          break;
        }
      }
      key ??= response.key.toString('utf8');
      items.set(key, { key, value: response.val, flags: response.flags() });
      return MORE;
    };
    return this.exchange(multiKeyRequest(OP_GETKQ, OP_NOOP, keys, opaque), opaque, read, '');
  }

  // One SETQ per item, each with its own opaque (a refusal carries no key), and one NOOP.
  setMulti(items: readonly WireItem[]): Promise<string[]> {
    if (items.length === 0) return Promise.resolve(NO_STRINGS.slice());
    const opaques = new Array<number>(items.length);
    for (let i = 0; i < items.length; i++) opaques[i] = this.nextOpaque();
    const end = this.nextOpaque();
    const failed: string[] = [];
    const read: ResponseReader<string[]> = (response) => {
      const opaque = response.opaque;
      if (opaque === end) return failed;
      // Consecutive ids but for a wrap past 2^32: by offset, else searched.
      let i = (opaque - (opaques[0] as number)) >>> 0;
      if (!(i < opaques.length && opaques[i] === opaque)) i = opaques.indexOf(opaque);
      if (i >= 0 && response.status !== STATUS_OK) failed.push(items[i]!.key);
      return MORE;
    };
    return this.exchange(multiStoreRequest(OP_SETQ, OP_NOOP, items, opaques, end), end, read, '', opaques);
  }

  deleteMulti(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    const opaque = this.nextOpaque();
    let failed: ServerError | undefined;
    const read: ResponseReader<void> = (response) => {
      if (response.opcode === OP_NOOP) {
        if (failed) throw failed;
        return;
      }
      // An absent key is what deleting wants.
      if (response.status !== STATUS_KEY_NOT_FOUND) failed ??= statusError('DELETEQ', response.status);
      return MORE;
    };
    return this.exchange(multiKeyRequest(OP_DELETEQ, OP_NOOP, keys, opaque), opaque, read, '');
  }

  flush(): Promise<void> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_FLUSH, opaque), opaque, readFlush, '');
  }

  // One response per statistic (key: name, value: value), then one with neither.
  stats(): Promise<Map<string, string>> {
    const opaque = this.nextOpaque();
    const stats = new Map<string, string>();
    const read: ResponseReader<Map<string, string>> = (response) => {
      okOf('STAT', response);
      if (response.totalBodyLength === 0) return stats;
      stats.set(response.key.toString('utf8'), response.val.toString('utf8'));
      return MORE;
    };
    return this.exchange(emptyRequest(OP_STAT, opaque), opaque, read, '');
  }

  version(): Promise<string> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_VERSION, opaque), opaque, readVersion, '');
  }

  ping(): Promise<void> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_VERSION, opaque), opaque, readPing, '');
  }
}
