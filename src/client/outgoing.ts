import type { SetItem } from '../api/Client';
import { type Encoded, isPromiseLike } from '../codec/Codec';
import { describeValue, InvalidItemError } from '../core/errors';
import { validateExpiration, validateItem, validateValue } from '../core/validation';
import type { WireItem } from '../port/MemcachedPort';
import type { KeyPrefix } from './KeyPrefix';
import type { Values } from './Values';

/** A validated item on its way to memcached: the wire key, the caller's key, its encoded value. */
export interface Outgoing {
  readonly key: string;
  readonly userKey: string;
  readonly expiration: number;
  /** The codec's bytes and flags, or a promise of them (an async codec). */
  readonly encoded: Encoded | Promise<Encoded>;
}

/**
 * Reads and validates an item to store, before any I/O. Each field is read once: a getter must not
 * pass validation with one key and send another (an over-long key makes memcached close the
 * connection, which would count as an outage).
 */
export function outgoing<In>(item: unknown, command: string, prefix: KeyPrefix, values: Values<unknown, In>): Outgoing {
  validateItem(item, command);
  const fields = item as SetItem<In>;
  const userKey = fields.key;
  const { value, flags } = fields;
  const expiration = fields.expiration ?? 0;
  const key = prefix.key(userKey);
  const encoded = values.encode(value, flags);
  validateExpiration(expiration);
  return { key, userKey, expiration, encoded };
}

/** Reads the items of `setMulti`, from one copy; of a repeated key the last one counts. */
export function outgoingList<In>(items: unknown, prefix: KeyPrefix, values: Values<unknown, In>): Outgoing[] {
  if (!Array.isArray(items)) {
    throw new InvalidItemError(`setMulti expects an array of items { key, value }, got ${describeValue(items)}`);
  }
  const byKey = new Map<string, Outgoing>();
  for (const item of items.slice()) {
    const read = outgoing(item, 'setMulti', prefix, values);
    byKey.delete(read.key);
    byKey.set(read.key, read);
  }
  return [...byKey.values()];
}

/** The wire item of `out`, once its value is encoded: `then` runs at once for a sync codec. */
export function whenEncoded<R>(out: Outgoing, then: (item: WireItem & Outgoing) => Promise<R>): Promise<R> {
  const { encoded } = out;
  const withValue = ({ value, flags }: Encoded) => then({ ...out, value, flags });
  return isPromiseLike(encoded) ? encoded.then(withValue) : withValue(encoded);
}

/** The wire items of `list`, once every value is encoded. */
export function whenAllEncoded<R>(list: Outgoing[], then: (items: (WireItem & Outgoing)[]) => Promise<R>): Promise<R> {
  const wire = (encoded: readonly Encoded[]) =>
    then(list.map((out, i) => ({ ...out, value: encoded[i]!.value, flags: encoded[i]!.flags })));
  if (!list.some((out) => isPromiseLike(out.encoded))) return wire(list.map((out) => out.encoded as Encoded));
  return Promise.all(list.map((out) => out.encoded)).then(wire);
}

/** A value to append or prepend, as raw bytes (a string is UTF-8; no codec): `InvalidValueError` otherwise. */
export function rawBytes(raw: unknown): Buffer {
  validateValue(raw);
  return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
}
