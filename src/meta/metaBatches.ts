import type { Item } from '../api/Item';
import type { WireItem } from '../port/MemcachedPort';
import type { TickWriter } from '../transport/TickWriter';
import { writeKeyBatch, writeStoreBatch } from './inPlaceRequests';
import type { MetaRequest } from './MetaConnection';
import type { MetaResponse } from './MetaResponse';
import { type GiveBack, HD, isError, isPlaceholder, NF, QuietBatch, readFlags, refusal, VA, W } from './metaRequests';

/** What a multi-key command writes (its parts' opaques from `id`), and the request that reads its answers. */
export interface Batch<T> {
  write(writer: TickWriter, id: number): void;
  request(resolve: (value: T) => void, reject: (err: unknown) => void): MetaRequest;
}

/**
 * `mg <key> v f q O<id + i>` per key, then `mn`: only the hits answer (quiet mode drops EN), each
 * with its part's id, so no key is decoded from the answer.
 */
export function getMultiBatch(keys: readonly string[], giveBack: GiveBack): Batch<Map<string, Item>> {
  // The keys whose refresh (W) memcached handed to this batch: given back before it answers.
  const won: string[] = [];
  const read = (response: MetaResponse, index: number | undefined, items: Map<string, Item>): void => {
    const key = index === undefined ? undefined : keys[index];
    if (response.code !== VA || key === undefined) throw refusal('mg', response);
    if (!isPlaceholder(response)) items.set(key, { key, value: response.value!, flags: readFlags(response) });
    if (response.has(W)) won.push(key);
  };
  return {
    write: (writer, id) => writeKeyBatch(writer, 'g', keys, ' v f q', id),
    request: (resolve, reject) =>
      new QuietBatch(
        keys.length,
        new Map<string, Item>(),
        read,
        (items) => (won.length === 0 ? resolve(items) : giveBack(won, () => resolve(items))),
        reject,
      ),
  };
}

/**
 * `md <key> I q O<id + i>` per key, then `mn`: each item stays stale with its TTL, and its refresh
 * is free again for the next reader that can refresh it (a fetch). Answers of any kind only end it.
 */
export function giveBackBatch(keys: readonly string[]): Batch<void> {
  return {
    write: (writer, id) => writeKeyBatch(writer, 'd', keys, ' I q', id),
    request: (resolve, reject) => new QuietBatch<undefined>(keys.length, undefined, () => {}, resolve, reject),
  };
}

/**
 * `ms <key> <size> F T O<id + i>` per item, then `mn`. Not quiet: memcached's error lines (object
 * too large, out of memory) carry no opaque, so only an answer from every item, in order, tells
 * whose each is. Resolves with the keys memcached refused (NS, EX, NF or an error line).
 */
export function setMultiBatch(items: readonly WireItem[]): Batch<string[]> {
  // The item the next answer is for.
  let next = 0;
  const read = (response: MetaResponse, index: number | undefined, refused: string[]): void => {
    const owner = index ?? next;
    const item = items[owner];
    if (owner !== next || item === undefined) throw response.malformed('an answer out of step in a setMulti');
    next++;
    if (response.code === HD) return;
    if (index === undefined && !isError(response)) throw refusal('ms', response);
    refused.push(item.key);
  };
  return {
    write: (writer, id) => writeStoreBatch(writer, items, id),
    request: (resolve, reject) => new QuietBatch<string[]>(items.length, [], read, resolve, reject, true),
  };
}

/** `md <key> q O<id + i>` per key, then `mn`: deleted keys are silent, missing ones answer NF. */
export function deleteMultiBatch(keys: readonly string[]): Batch<void> {
  const read = (response: MetaResponse): void => {
    if (response.code !== NF) throw refusal('md', response);
  };
  return {
    write: (writer, id) => writeKeyBatch(writer, 'd', keys, ' q', id),
    request: (resolve, reject) => new QuietBatch<undefined>(keys.length, undefined, read, resolve, reject),
  };
}
