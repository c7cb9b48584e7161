import { InvalidOptionError } from '../core/errors';
import { MAX_KEY_BYTES, validateKey } from '../core/validation';

/**
 * The `keyPrefix` option: `''` (none) or a string that is itself a valid key with room for a key
 * of one byte after it. Throws `InvalidOptionError` otherwise.
 */
export function resolveKeyPrefix(prefix: unknown): string {
  if (prefix === undefined || prefix === '') return '';
  const expected = `a string of at most ${MAX_KEY_BYTES - 1} UTF-8 bytes with no whitespace or control characters`;
  if (typeof prefix !== 'string') throw new InvalidOptionError('keyPrefix', prefix, expected);
  try {
    validateKey(prefix, 1);
  } catch {
    throw new InvalidOptionError('keyPrefix', prefix, expected);
  }
  return prefix;
}
