import type { SetItem } from '../api/Client';
import type { Item } from '../api/Item';
import { describeValue, InvalidItemError } from '../core/errors';
import {
  validateExpiration,
  validateFlags,
  validateItem,
  validateKey,
  validateKeys,
  validateValue,
} from '../core/validation';
import type { WireItem } from '../port/MemcachedPort';

/** A validated item on its way to memcached: `key` is the wire key, `userKey` the caller's. */
export interface OutgoingItem extends WireItem {
  readonly userKey: string;
}

/**
 * The `keyPrefix` option at work: validates the caller's keys and items (the 250-byte limit counts
 * the prefix), turns them into wire keys, and turns answers back into the caller's keys. With no
 * prefix every method passes its input through.
 */
export class KeyPrefix {
  readonly #prefix: string;
  readonly #bytes: number;

  constructor(prefix: string) {
    this.#prefix = prefix;
    this.#bytes = Buffer.byteLength(prefix, 'utf8');
  }

  /** The wire key of `key`; throws `InvalidKeyError` for a bad one. */
  key(key: unknown): string {
    validateKey(key, this.#bytes);
    return this.#bytes === 0 ? key : this.#prefix + key;
  }

  /**
   * Validates a key list from one copy (an array whose elements change between reads must not
   * send a key that was not checked); repeated keys are kept once.
   */
  keys(keys: unknown, unique: boolean): string[] {
    const list: unknown = Array.isArray(keys) ? keys.slice() : keys;
    validateKeys(list, this.#bytes);
    return unique && list.length > 1 ? [...new Set(list)] : (list as string[]);
  }

  /** The wire keys of validated caller keys. */
  wireKeys(keys: readonly string[]): readonly string[] {
    return this.#bytes === 0 ? keys : keys.map((key) => this.#prefix + key);
  }

  /** The caller's key of a wire key. */
  userKey(wireKey: string): string {
    return this.#bytes === 0 ? wireKey : wireKey.slice(this.#prefix.length);
  }

  /** An answered item under the caller's key. */
  item<I extends Item>(item: I | undefined): I | undefined {
    if (item === undefined || this.#bytes === 0) return item;
    return { ...item, key: this.userKey(item.key) };
  }

  /** The answered items of a multi-get, by the caller's keys. */
  items(hits: Map<string, Item>): Map<string, Item> {
    if (this.#bytes === 0) return hits;
    const items = new Map<string, Item>();
    for (const hit of hits.values()) {
      const item = this.item(hit) as Item;
      items.set(item.key, item);
    }
    return items;
  }

  /**
   * Reads and validates an item to store. Each field is read once: a getter must not pass
   * validation with one key and send another (an over-long key makes memcached close the
   * connection, which would count as an outage).
   */
  outgoing(item: unknown, what = 'set'): OutgoingItem {
    validateItem(item, what);
    const fields = item as SetItem;
    const userKey = fields.key;
    const raw = fields.value;
    const flags = fields.flags ?? 0;
    const expiration = fields.expiration ?? 0;
    const key = this.key(userKey);
    validateValue(raw);
    validateFlags(flags);
    validateExpiration(expiration);
    return { key, userKey, value: toBuffer(raw), flags, expiration };
  }

  /** Reads and validates the items of `setMulti`, from one copy; of a repeated key the last one counts. */
  outgoingList(items: unknown): OutgoingItem[] {
    if (!Array.isArray(items)) {
      throw new InvalidItemError(`setMulti expects an array of items { key, value }, got ${describeValue(items)}`);
    }
    const byKey = new Map<string, OutgoingItem>();
    for (const item of items.slice()) {
      const read = this.outgoing(item, 'setMulti');
      byKey.delete(read.key);
      byKey.set(read.key, read);
    }
    return [...byKey.values()];
  }
}

/** A value to store as bytes (a string is UTF-8); throws `InvalidValueError` for anything else. */
export function valueBytes(raw: unknown): Buffer {
  validateValue(raw);
  return toBuffer(raw);
}

function toBuffer(raw: Buffer | string): Buffer {
  return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
}
