import type { Item } from '../api/Item';
import type { CasItem, CounterMode, StoreMode, StoreStatus } from '../port/MemcachedPort';
import { casItemOf, counterOf, foundOf, itemOf, okOf, storeStatusOf } from './binaryResponse';
import type { InPlaceResponse } from './InPlaceResponse';

// How each command reads its responses (BinaryCommands.ts sends them).

/** What a reader returns while the exchange goes on (more responses of a pipelined request to come). */
export const MORE: unique symbol = Symbol('more');
/**
 * Reads one response of an exchange (of the request for `key`): the answer, or `MORE`. Throws a
 * `ServerError` for a refusal. The hot commands' readers are shared functions, not closures.
 */
export type ResponseReader<T> = (response: InPlaceResponse, key: string) => T | typeof MORE;

export const readGet: ResponseReader<Item | undefined> = (r, key) => itemOf('GET', key, r);
export const readGets: ResponseReader<CasItem | undefined> = (r, key) => casItemOf('GETS', key, r);
export const readGat: ResponseReader<Item | undefined> = (r, key) => itemOf('GAT', key, r);
export const readSet: ResponseReader<void> = (r) => okOf('SET', r);
export const readStore: Readonly<Record<StoreMode, ResponseReader<StoreStatus>>> = {
  set: (r) => storeStatusOf('SET', r),
  add: (r) => storeStatusOf('ADD', r),
  replace: (r) => storeStatusOf('REPLACE', r),
};
export const readCas: ResponseReader<StoreStatus> = (r) => storeStatusOf('CAS', r);
export const readConcat: Readonly<Record<'append' | 'prepend', ResponseReader<StoreStatus>>> = {
  append: (r) => storeStatusOf('APPEND', r),
  prepend: (r) => storeStatusOf('PREPEND', r),
};
export const readDelete: ResponseReader<boolean> = (r) => foundOf('DELETE', r);
export const readCounter: Readonly<Record<CounterMode, ResponseReader<bigint | undefined>>> = {
  incr: (r) => counterOf('INCR', r),
  decr: (r) => counterOf('DECR', r),
};
export const readFlush: ResponseReader<void> = (r) => okOf('FLUSH', r);
export const readPing: ResponseReader<void> = (r) => okOf('VERSION', r);
export const readVersion: ResponseReader<string> = (r) => {
  okOf('VERSION', r);
  return r.val.toString('utf8');
};
