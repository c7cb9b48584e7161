import type { Item } from '../api/Item';
import type { WireItem } from '../port/MemcachedPort';
import { storeBatchBytes } from './inPlaceRequests';
import type { MetaRequest } from './MetaConnection';
import type { MetaResponse } from './MetaReader';
import { F, type GiveBack, HD, NF, QuietBatch, refusal, VA, W } from './metaRequests';

/** What a multi-key command writes, and the request that reads its answers. */
export interface Batch<T> {
  readonly bytes: string | Buffer;
  request(resolve: (value: T) => void, reject: (err: unknown) => void): MetaRequest;
}

const MN_REQUEST = 'mn\r\n';

/**
 * `mg <key> v f q O<i>` per key, then `mn`: only the hits answer (quiet mode drops EN), each with
 * its index, so no key is decoded from the answer.
 */
export function getMultiBatch(keys: readonly string[], giveBack: GiveBack): Batch<Map<string, Item>> {
  let bytes = '';
  for (let i = 0; i < keys.length; i++) bytes += `mg ${keys[i]} v f q O${i}\r\n`;
  bytes += MN_REQUEST;
  // The keys whose refresh (W) memcached handed to this batch: given back before it answers.
  const won: string[] = [];
  const read = (response: MetaResponse, index: number | undefined, items: Map<string, Item>): void => {
    const key = index === undefined ? undefined : keys[index];
    if (response.code !== VA || key === undefined) throw refusal('mg', response);
    items.set(key, { key, value: response.value!, flags: response.flag(F) ?? 0 });
    if (response.has(W)) won.push(key);
  };
  return {
    bytes,
    request: (resolve, reject) =>
      new QuietBatch(
        new Map<string, Item>(),
        read,
        (items) => (won.length === 0 ? resolve(items) : giveBack(won, () => resolve(items))),
        reject,
      ),
  };
}

/**
 * `md <key> I q` per key, then `mn`: each item stays stale with its TTL, and its refresh is free
 * again for the next reader that can refresh it (a fetch). Answers of any kind only end it.
 */
export function giveBackBatch(keys: readonly string[]): Batch<void> {
  let bytes = '';
  for (const key of keys) bytes += `md ${key} I q\r\n`;
  bytes += MN_REQUEST;
  return { bytes, request: (resolve, reject) => new QuietBatch<undefined>(undefined, () => {}, resolve, reject) };
}

/**
 * Values up to this size cannot exceed any memcached's item size limit (`-I` is at least 1 KB), so
 * they are stored quietly. memcached's "object too large" line carries no opaque: larger values are
 * sent without `q`, so every one of them answers, in order, and such a line is the next one's.
 */
export const QUIET_VALUE_BYTES = 512;

/**
 * `ms <key> <size> F T q O<i>` per item (values over QUIET_VALUE_BYTES without `q`), then `mn`.
 * Resolves with the keys memcached refused (NS, EX, NF or an error line).
 */
export function setMultiBatch(items: readonly WireItem[]): Batch<string[]> {
  const loud: number[] = [];
  for (let i = 0; i < items.length; i++) if (items[i]!.value.length > QUIET_VALUE_BYTES) loud.push(i);
  const bytes = storeBatchBytes(items, loud);
  // The loud items not answered yet start at loud[next].
  let next = 0;
  const read = (response: MetaResponse, index: number | undefined, refused: string[]): void => {
    if (index === undefined) {
      const owner = loud[next++];
      if (owner === undefined) throw refusal('ms', response);
      refused.push(items[owner]!.key);
      return;
    }
    while (next < loud.length && loud[next]! <= index) next++;
    const item = items[index];
    if (item === undefined) throw refusal('ms', response);
    if (response.code !== HD) refused.push(item.key);
  };
  return { bytes, request: (resolve, reject) => new QuietBatch<string[]>([], read, resolve, reject) };
}

/** `md <key> q O<i>` per key, then `mn`: deleted keys are silent, missing ones answer NF. */
export function deleteMultiBatch(keys: readonly string[]): Batch<void> {
  let bytes = '';
  for (let i = 0; i < keys.length; i++) bytes += `md ${keys[i]} q O${i}\r\n`;
  bytes += MN_REQUEST;
  const read = (response: MetaResponse): void => {
    if (response.code !== NF) throw refusal('md', response);
  };
  return { bytes, request: (resolve, reject) => new QuietBatch<undefined>(undefined, read, resolve, reject) };
}
