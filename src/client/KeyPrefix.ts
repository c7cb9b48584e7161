import type { Item } from '../api/Item';
import { KeyBytes } from '../core/KeyBytes';
import { validateKey, validateKeys } from '../core/validation';

/**
 * The `keyPrefix` option at work: validates the caller's keys (the 250-byte limit counts the
 * prefix), turns them into wire keys, and turns answers back into the caller's keys. With no prefix
 * every method passes its input through.
 */
export class KeyPrefix {
  readonly #prefix: string;
  readonly #bytes: number;
  /**
   * The bytes of the key `key()` validated last, when it was printable ASCII: the hot commands hand
   * them to the port that writes the request (`getInto`, `setInto`). One per client, reused.
   */
  readonly kept = new KeyBytes();

  constructor(prefix: string) {
    this.#prefix = prefix;
    this.#bytes = Buffer.byteLength(prefix, 'utf8');
  }

  /** The wire key of `key`; throws `InvalidKeyError` for a bad one. */
  key(key: unknown): string {
    validateKey(key, this.#bytes, this.kept);
    return this.#bytes === 0 ? key : this.#prefix + key;
  }

  /**
   * Validates a key list from one copy (an array whose elements change between reads must not
   * send a key that was not checked); with `unique`, a repeated key is kept once.
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
}
