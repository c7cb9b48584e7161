import { createHash } from 'node:crypto';
import { validateKey } from '../core/validation';

/** Where a Keyv key that memcached cannot take is stored instead (see `memcachedKey`). */
export const HASHED_KEY_PREFIX = 'keyv-sha256:';

/**
 * The memcached key for a Keyv key. Keyv keys are any string (a URL with spaces, 1 KB of JSON), but
 * memcached takes at most 250 bytes without whitespace or control characters: a key it could not
 * take is stored under `keyv-sha256:` and its SHA-256 (base64url) instead, never rejected. Valid keys
 * are kept as they are, so they stay readable in memcached's own tools.
 */
export function memcachedKey(key: string): string {
  try {
    validateKey(key);
    if (!key.startsWith(HASHED_KEY_PREFIX)) return key;
  } catch {
    // Not storable as it is: hashed below.
  }
  // A key that already looks hashed is hashed too, so no two Keyv keys can share a memcached key.
  return HASHED_KEY_PREFIX + createHash('sha256').update(String(key), 'utf8').digest('base64url');
}
