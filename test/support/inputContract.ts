import { LINE_PROTOCOL } from './protocol';

// The public API's input contract, written out independently of src/validation.ts: which inputs a
// call must take, and the code of the typed error it rejects the others with.

export const ERRORS = {
  key: 'ERR_INVALID_KEY',
  value: 'ERR_INVALID_VALUE',
  flags: 'ERR_INVALID_FLAGS',
  expiration: 'ERR_INVALID_EXPIRATION',
  item: 'ERR_INVALID_ITEM',
  counter: 'ERR_INVALID_COUNTER',
  cas: 'ERR_INVALID_CAS',
} as const;

export const keyIsValid = (key: unknown): key is string =>
  typeof key === 'string' &&
  key.length > 0 &&
  Buffer.byteLength(key, 'utf8') <= 250 &&
  key.isWellFormed() &&
  ![...key].some((c) => c.codePointAt(0)! <= 0x20 || (c.codePointAt(0)! >= 0x7f && c.codePointAt(0)! <= 0x9f));
export const uint32IsValid = (n: unknown): boolean =>
  n === undefined || n === null || (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 2 ** 32);
// memcached reads more than 30 days as a Unix time: one already past is refused (the item would vanish).
const isPastUnixTime = (n: unknown): boolean => typeof n === 'number' && n > 2_592_000 && n <= Date.now() / 1000;
// memcached reads the meta and text protocols' expirations as signed 32-bit numbers: the client refuses more.
const EXPIRATION_LIMIT = LINE_PROTOCOL ? 2 ** 31 : 2 ** 32;
export const expirationIsValid = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < EXPIRATION_LIMIT && !isPastUnixTime(n);
// An absent delta is 1.
export const counterIsValid = (n: unknown): boolean =>
  n === undefined ||
  (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) ||
  (typeof n === 'bigint' && n >= 0n && n < 2n ** 64n);
// 0 is no token: memcached would read it as an unconditional set.
export const casIsValid = (n: unknown): boolean => typeof n === 'bigint' && n >= 1n && n < 2n ** 64n;
