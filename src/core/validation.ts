import { type Aliases, didYouMean, unknownField } from './closestName';
import {
  describeValue,
  InvalidCasError,
  InvalidCounterError,
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidItemError,
  InvalidKeyError,
  InvalidValueError,
} from './errors';
import { isPrintableAscii, type KeyBytes, MAX_KEY_BYTES } from './KeyBytes';

export { MAX_KEY_BYTES };

const UINT32_LIMIT = 2 ** 32;
const UINT64_LIMIT = 2n ** 64n;

// Space, and C0/C1 control characters and DEL: the text protocol splits on them and the binary
// protocol on some servers (and proxies) rejects them; memcached closes the connection on some.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_KEY_CHARS = /[\u0000-\u0020\u007f-\u009f]/;

/**
 * Throws `InvalidKeyError` unless `key` is a non-empty string of at most 250 UTF-8 bytes with no
 * whitespace or control characters. Runs before any I/O: memcached closes the connection after an
 * over-long key, which would look like an outage. `prefixBytes`: the key prefix's length, which the
 * limit includes (the `keyPrefix` option). `kept`: where a printable-ASCII key's bytes are kept for
 * the request that sends it (the client's `KeyBytes`).
 */
export function validateKey(key: unknown, prefixBytes = 0, kept?: KeyBytes): asserts key is string {
  if (typeof key !== 'string') throw new InvalidKeyError(`key must be a string, got ${typeof key}`);
  if (key.length === 0) throw new InvalidKeyError('key must not be empty');
  // Nearly every key is printable ASCII: well-formed, a byte a character, free of whitespace and
  // control characters. Checking that in one loop skips the regular expression, isWellFormed() and
  // the byte count (about 3% of the process's CPU time per get at 64 callers), and the loop keeps
  // the key's bytes in `kept` for the request that sends it.
  if (key.length <= MAX_KEY_BYTES - prefixBytes && (kept === undefined ? isPrintableAscii(key) : kept.keep(key))) {
    return;
  }
  // A UTF-8 character takes 1 to 4 bytes; only count bytes when the cheap bound cannot decide.
  const room = MAX_KEY_BYTES - prefixBytes;
  if (key.length > room / 4 && Buffer.byteLength(key, 'utf8') > room) {
    const prefix = prefixBytes === 0 ? '' : ` after the ${prefixBytes}-byte keyPrefix`;
    throw new InvalidKeyError(
      `key is ${Buffer.byteLength(key, 'utf8')} bytes${prefix}; memcached allows at most ${MAX_KEY_BYTES} in all`,
    );
  }
  // A lone surrogate would be sent as U+FFFD, so the item would be stored under another key.
  if (!key.isWellFormed()) throw new InvalidKeyError('key is not well-formed Unicode (lone surrogate)');
  if (FORBIDDEN_KEY_CHARS.test(key)) {
    throw new InvalidKeyError(`key ${JSON.stringify(key)} contains whitespace or a control character`);
  }
}

/** Throws `InvalidKeyError` for a non-array, or for the first invalid key in it. */
export function validateKeys(keys: unknown, prefixBytes = 0): asserts keys is readonly string[] {
  if (!Array.isArray(keys)) throw new InvalidKeyError(`keys must be an array of strings, got ${typeof keys}`);
  for (const key of keys) validateKey(key, prefixBytes);
}

/** The fields of an item to store (`SetItem`), and of one to `cas`. */
export const ITEM_FIELDS: readonly string[] = ['key', 'value', 'flags', 'expiration'];
export const CAS_ITEM_FIELDS: readonly string[] = [...ITEM_FIELDS, 'cas'];
// What other clients (and fetch, and Keyv) call an item's fields.
const ITEM_ALIASES: Aliases = {
  ttl: 'expiration',
  exptime: 'expiration',
  expires: 'expiration',
  expiry: 'expiration',
  expire: 'expiration',
  expiresin: 'expiration',
  data: 'value',
  val: 'value',
};

/**
 * Throws `InvalidItemError` unless `item` is a (non-array) object with no field but `fields`: an
 * unknown one (`ttl`) would otherwise be ignored, and the item stored forever. The error names the
 * field and the likely one, not its value.
 */
export function validateItem(item: unknown, command = 'set', fields = ITEM_FIELDS): asserts item is object {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new InvalidItemError(`${command} expects an item object { key, value }, got ${describeValue(item)}`);
  }
  const unknown = unknownField(item, fields);
  if (unknown !== undefined) {
    const hint = didYouMean(unknown, fields, ITEM_ALIASES, 'field');
    throw new InvalidItemError(`${command} item has an unknown field ${JSON.stringify(unknown)}; expected ${hint}`);
  }
}

/** Throws `InvalidValueError` unless `value` is a Buffer or a string. */
export function validateValue(value: unknown): asserts value is Buffer | string {
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
    throw new InvalidValueError(`value must be a Buffer or a string, got ${value === null ? 'null' : typeof value}`);
  }
}

/** memcached reads an expiration of more seconds than this (30 days) as a Unix time. */
export const MAX_RELATIVE_EXPIRATION = 30 * 24 * 3600;

/** The largest expiration a protocol carries faithfully, and why, for the error that refuses more. */
export interface ExpirationLimit {
  readonly max: number;
  /** Why the limit is what it is, said after it in the error; empty when it is the field's own size. */
  readonly why: string;
}

/** Any 32-bit expiration: the binary protocol's field is unsigned. */
export const UINT32_EXPIRATION: ExpirationLimit = { max: UINT32_LIMIT - 1, why: '' };

/**
 * Throws `InvalidExpirationError` unless `expiration` is a whole number of seconds from 0 to
 * `limit.max` (at most 2^32 - 1: the protocol's) and, given `unixSeconds` (the client's clock), not an absolute time already past: memcached would
 * drop the item at once, so `3_000_000` (meant as 35 days) would store nothing.
 */
export function validateExpiration(
  expiration: unknown,
  unixSeconds?: () => number,
  limit: ExpirationLimit = UINT32_EXPIRATION,
): asserts expiration is number {
  if (!isUint32(expiration) || expiration > limit.max) {
    throw new InvalidExpirationError(
      `expiration must be a whole number of seconds from 0 to ${limit.max}${limit.why}, got ${describeValue(expiration)}`,
    );
  }
  if (expiration <= MAX_RELATIVE_EXPIRATION || unixSeconds === undefined) return;
  const now = unixSeconds();
  if (expiration > now) return;
  const when = (seconds: number) => new Date(seconds * 1000).toISOString();
  throw new InvalidExpirationError(
    `expiration ${expiration} is over 30 days (${MAX_RELATIVE_EXPIRATION} seconds), so memcached reads it as a Unix time, ` +
      `${when(expiration)}, which is already past (now ${when(now)} by the client's clock): give up to ` +
      `${MAX_RELATIVE_EXPIRATION} seconds from now, or a Unix time in the future`,
  );
}

/** Throws `InvalidFlagsError` unless `flags` is a whole number in [0, 2^32). */
export function validateFlags(flags: unknown): asserts flags is number {
  if (!isUint32(flags))
    throw new InvalidFlagsError(`flags must be a whole number in [0, 2^32), got ${describeValue(flags)}`);
}

function isUint32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < UINT32_LIMIT;
}

/**
 * Throws `InvalidCasError` unless `cas` is a bigint in [1, 2^64), as `gets` answers it. 0 is not a
 * token: memcached's binary protocol reads a CAS of 0 as "no CAS", an unconditional set.
 */
export function validateCas(cas: unknown): asserts cas is bigint {
  if (typeof cas !== 'bigint' || cas < 1n || cas >= UINT64_LIMIT) {
    throw new InvalidCasError(`cas must be the bigint token gets answered, got ${describeValue(cas)}`);
  }
}

/**
 * A counter's `delta` or `initial` as memcached's 64-bit unsigned value. Throws
 * `InvalidCounterError` unless it is a safe integer >= 0 or a bigint in [0, 2^64): a number above
 * 2^53 may already have lost its low bits.
 */
export function counterValue(name: string, value: unknown): bigint {
  if (typeof value === 'bigint' && value >= 0n && value < UINT64_LIMIT) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new InvalidCounterError(
    `${name} must be a whole number >= 0 (a safe integer, or a bigint below 2^64), got ${describeValue(value)}`,
  );
}
