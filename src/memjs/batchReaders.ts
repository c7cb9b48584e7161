import type { Item } from '../api/Item';
import type { ServerError } from '../core/errors';
import { isPlaceholderItem } from '../port/LeasePort';
import type { WireItem } from '../port/MemcachedPort';
import { OP_NOOP, STATUS_KEY_NOT_FOUND, STATUS_OK } from './binaryProtocol';
import { okOf, statusError } from './binaryResponse';
import { MORE, type ResponseReader } from './responseReaders';

// The readers of the pipelined commands (BinaryCommands.ts): each keeps what its responses so far
// said, so one is made per request.

/**
 * A real multi-get: one GETKQ per key (quiet: only hits answer) and one NOOP, all with the same
 * opaque, so one reader collects the hits until the NOOP's empty reply.
 */
export function getMultiReader(keys: readonly string[]): ResponseReader<Map<string, Item>> {
  const items = new Map<string, Item>();
  let failed: ServerError | undefined;
  // memcached answers the hits in the order they were asked for, so each hit's key is found from
  // the previous one on, compared in place instead of decoded; were the order ever different,
  // the key is decoded.
  let next = 0;
  return (response) => {
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
    const value = response.val;
    const flags = response.flags();
    // A fetch's placeholder (over meta, from any client) is a key being loaded, not a value.
    if (!isPlaceholderItem(value, flags)) items.set(key, { key, value, flags });
    return MORE;
  };
}

/** One SETQ per item, each with its own opaque (a refusal carries no key), and one NOOP (`end`). */
export function setMultiReader(
  items: readonly WireItem[],
  opaques: readonly number[],
  end: number,
): ResponseReader<string[]> {
  const failed: string[] = [];
  return (response) => {
    const opaque = response.opaque;
    if (opaque === end) return failed;
    // Consecutive ids but for a wrap past 2^32: by offset, else searched.
    let i = (opaque - (opaques[0] as number)) >>> 0;
    if (!(i < opaques.length && opaques[i] === opaque)) i = opaques.indexOf(opaque);
    if (i >= 0 && response.status !== STATUS_OK) failed.push(items[i]!.key);
    return MORE;
  };
}

/** DELETEQ per key and one NOOP: only refusals answer, and an absent key is what deleting wants. */
export function deleteMultiReader(): ResponseReader<void> {
  let failed: ServerError | undefined;
  return (response) => {
    if (response.opcode === OP_NOOP) {
      if (failed) throw failed;
      return;
    }
    if (response.status !== STATUS_KEY_NOT_FOUND) failed ??= statusError('DELETEQ', response.status);
    return MORE;
  };
}

/** One response per statistic (key: name, value: value), then one with neither. */
export function statsReader(): ResponseReader<Map<string, string>> {
  const stats = new Map<string, string>();
  return (response) => {
    okOf('STAT', response);
    if (response.totalBodyLength === 0) return stats;
    stats.set(response.key.toString('utf8'), response.val.toString('utf8'));
    return MORE;
  };
}
