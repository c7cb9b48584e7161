import { createHash } from 'node:crypto';
import { validateKey } from '../core/validation';

/**
 * The start of every key the store makes itself (hashed keys, generations). A Keyv key starting
 * with it is hashed, so no namespace or key a user picks can reach the store's own keys.
 */
export const RESERVED_KEY_PREFIX = 'keyv-';

/** Where a Keyv key that memcached cannot take is stored instead (see `memcachedKey`). */
export const HASHED_KEY_PREFIX = `${RESERVED_KEY_PREFIX}sha256:`;

/**
 * The memcached key for a Keyv key. Keyv keys are any string (a URL with spaces, 1 KB of JSON), but
 * memcached takes at most 250 bytes, `prefixBytes` (the client's `keyPrefix`) included, without
 * whitespace or control characters: a key it could not take is stored under `keyv-sha256:` and its
 * SHA-256 (base64url) instead, never rejected. Other keys are kept as they are, so they stay
 * readable in memcached's own tools. Distinct Keyv keys always get distinct memcached keys.
 */
export function memcachedKey(key: string, prefixBytes = 0): string {
  return !key.startsWith(RESERVED_KEY_PREFIX) && fits(key, prefixBytes) ? key : HASHED_KEY_PREFIX + sha256(key);
}

/** Whether memcached takes `key` as it is, after a key prefix of `prefixBytes`. */
export function fits(key: string, prefixBytes: number): boolean {
  try {
    validateKey(key, prefixBytes);
    return true;
  } catch {
    return false;
  }
}

// Never the first byte of UTF-8: marks the UTF-16 form, so it cannot hash like any UTF-8 text.
const UTF16_MARK = Buffer.from([0xff]);

/**
 * The SHA-256 (base64url, 43 characters) of `text`: of its UTF-8 bytes, or for text with a lone
 * surrogate (which UTF-8 would turn into U+FFFD, merging distinct strings) of its UTF-16 code units.
 */
export function sha256(text: string): string {
  const hash = createHash('sha256');
  if (text.isWellFormed()) hash.update(text, 'utf8');
  else hash.update(UTF16_MARK).update(Buffer.from(text, 'utf16le'));
  return hash.digest('base64url');
}
