import type { SetItem } from '../api/Client';
import { type Encoded, isPromiseLike } from '../codec/Codec';
import { describeValue, InvalidItemError } from '../core/errors';
import {
  CAS_ITEM_FIELDS,
  type ExpirationLimit,
  ITEM_FIELDS,
  validateExpiration,
  validateItem,
} from '../core/validation';
import type { WireItem } from '../port/MemcachedPort';
import type { KeyPrefix } from './KeyPrefix';
import type { Values } from './Values';

/**
 * A validated item on its way to memcached: the wire key, the caller's key and, once the codec has
 * encoded it, its bytes and flags. An async codec's encoding is `pending` until then.
 */
export interface Outgoing extends WireItem {
  readonly userKey: string;
  readonly pending: Promise<Encoded> | undefined;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * Reads and validates an item to store, before any I/O. Each field is read once: a getter must not
 * pass validation with one key and send another (an over-long key makes memcached close the
 * connection, which would count as an outage).
 */
export function outgoing<In>(
  item: unknown,
  command: string,
  prefix: KeyPrefix,
  values: Values<unknown, In>,
  unixSeconds: () => number,
  expirations: ExpirationLimit,
): Outgoing {
  validateItem(item, command, command === 'cas' ? CAS_ITEM_FIELDS : ITEM_FIELDS);
  const fields = item as SetItem<In>;
  const userKey = fields.key;
  const { value, flags } = fields;
  const expiration = fields.expiration ?? 0;
  const key = prefix.key(userKey);
  const encoded = values.encode(value, flags);
  validateExpiration(expiration, unixSeconds, expirations);
  if (isPromiseLike(encoded)) return { key, userKey, expiration, value: NO_BYTES, flags: 0, pending: encoded };
  return { key, userKey, expiration, value: encoded.value, flags: encoded.flags, pending: undefined };
}

/** Reads the items of `setMulti`, from one copy; of a repeated key the last one counts. */
export function outgoingList<In>(
  items: unknown,
  prefix: KeyPrefix,
  values: Values<unknown, In>,
  unixSeconds: () => number,
  expirations: ExpirationLimit,
): Outgoing[] {
  if (!Array.isArray(items)) {
    throw new InvalidItemError(`setMulti expects an array of items { key, value }, got ${describeValue(items)}`);
  }
  const read = items.slice().map((item) => outgoing(item, 'setMulti', prefix, values, unixSeconds, expirations));
  const byKey = new Map<string, Outgoing>();
  for (const out of read) byKey.set(out.key, out);
  return byKey.size === read.length ? read : [...byKey.values()];
}

/** `out` once its value is encoded: `then` runs at once for a sync codec. */
export function whenEncoded<R>(out: Outgoing, then: (item: Outgoing) => Promise<R>): Promise<R> {
  return out.pending === undefined ? then(out) : out.pending.then((encoded) => then(encodedItem(out, encoded)));
}

/** `out` with its value encoded: itself for a sync codec, else the promise of it. */
export function encodedOutgoing(out: Outgoing): Outgoing | Promise<Outgoing> {
  return out.pending === undefined ? out : out.pending.then((encoded) => encodedItem(out, encoded));
}

/** The items of `list` once every value is encoded (a sync codec's list as it is). */
export function whenAllEncoded<R>(list: Outgoing[], then: (items: Outgoing[]) => Promise<R>): Promise<R> {
  if (list.every((out) => out.pending === undefined)) return then(list);
  return Promise.all(list.map((out) => out.pending)).then((encoded) =>
    then(list.map((out, i) => (out.pending === undefined ? out : encodedItem(out, encoded[i] as Encoded)))),
  );
}

function encodedItem(out: Outgoing, { value, flags }: Encoded): Outgoing {
  return { key: out.key, userKey: out.userKey, expiration: out.expiration, value, flags, pending: undefined };
}
