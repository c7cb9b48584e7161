import { InvalidOptionError } from '../core/errors';
import { type ExpirationLimit, UINT32_EXPIRATION } from '../core/validation';

/** The wire protocols of the `protocol` option (README "Choosing a protocol"). */
export type Protocol = 'binary' | 'meta' | 'text';
export const PROTOCOLS: readonly Protocol[] = ['binary', 'meta', 'text'];

/** The `protocol` option, validated: `'binary'` when absent. */
export function resolveProtocol(protocol: unknown): Protocol {
  if (protocol === undefined) return 'binary';
  if (!PROTOCOLS.includes(protocol as Protocol)) {
    throw new InvalidOptionError('protocol', protocol, PROTOCOLS.map((p) => `'${p}'`).join(', '));
  }
  return protocol as Protocol;
}

/**
 * The expirations each protocol sends faithfully. memcached reads the meta protocol's `T` and `N`
 * flags, and the text protocol's expirations, as signed 32-bit numbers, so a Unix time from 2^31 (2038-01-19) on would store an item that
 * is already gone; the client refuses those instead.
 */
export const EXPIRATION_LIMITS: Readonly<Record<Protocol, ExpirationLimit>> = {
  binary: UINT32_EXPIRATION,
  meta: {
    max: 2 ** 31 - 1,
    why: ' over the meta protocol (memcached reads its expirations as signed 32-bit numbers)',
  },
  // memcached 1.6 answers STORED to a text `set` with an expiration of 2^31 or more and keeps nothing.
  text: {
    max: 2 ** 31 - 1,
    why: ' over the text protocol (memcached reads its expirations as signed 32-bit numbers)',
  },
};
