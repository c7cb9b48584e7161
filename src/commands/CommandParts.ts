import type { Item } from '../api/Item';
import type { ExpirationLimit } from '../core/validation';
import type { CallDeadline } from '../engine/CallDeadline';
import type { CasItem, WireItem } from '../port/MemcachedPort';

/** An item to store, read and checked once, its value encoded: the wire item and the caller's key. */
export interface StoreArgs extends WireItem {
  readonly userKey: string;
}

/**
 * What a command's spec uses of its client, made once per client (src/client/): the key prefix,
 * the clock and expiration limit, the codec. Each function throws the typed error of bad input.
 */
export interface CommandParts {
  /** The wire key (the prefix put before it) of the caller's key; `InvalidKeyError` for a bad one. */
  key(key: unknown): string;
  /** Unix time by the client's clock, for absolute expirations. */
  readonly unixSeconds: () => number;
  /** The protocol's expirations: one it cannot send faithfully is refused before any I/O. */
  readonly expirations: ExpirationLimit;
  /** Reads an item to store once and checks it (`command` names it in errors); a promise while an async codec encodes it. */
  item(item: unknown, command: string): StoreArgs | Promise<StoreArgs>;
  /** A read's answer under the caller's key, decoded: the `GetResult`. */
  readonly getResult: (item: Item | undefined, call: CallDeadline) => unknown;
  /** A `gets` answer under the caller's key, decoded: the `GetsResult`. */
  readonly getsResult: (item: CasItem | undefined, call: CallDeadline) => unknown;
}
