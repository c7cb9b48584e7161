import type { FetchOptions } from '../api/fetchOptions';
import { InvalidExpirationError, InvalidOptionError } from '../core/errors';
import { type ExpirationLimit, validateExpiration } from '../core/validation';

/** How long a fetch waits for another client's load before loading itself, by default, in ms. */
export const DEFAULT_FETCH_TIMEOUT_MS = 1000;

/** What fetch does with its options, validated: the expiration and recache window memcached gets. */
export interface FetchPlan {
  readonly expiration: number;
  readonly recache: number | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/** Validates `fetch`'s options (typed errors, before any I/O) and turns them into memcached's terms. */
export function fetchPlan(options: FetchOptions, limit: ExpirationLimit): FetchPlan {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', options, 'an object with at least `ttl`');
  }
  const { ttl, staleTtl = 0, recacheBefore = 0, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, signal } = options;
  validateExpiration(ttl, limit);
  validateExpiration(staleTtl, limit);
  validateExpiration(recacheBefore, limit);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2 ** 31 - 1) {
    throw new InvalidOptionError('timeoutMs', timeoutMs, 'a number of milliseconds > 0');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', signal, 'an AbortSignal');
  }
  // A value lives `staleTtl` past its `ttl`; memcached hands one reader the refresh (`R<n>`: fewer
  // than n seconds left) once at most `staleTtl + recacheBefore` are left. memcached counts whole
  // seconds and an item with 0 left is gone, so `R1` would never fire: hence the + 1. ttl 0 never
  // expires: nothing to refresh.
  const window = staleTtl + recacheBefore;
  const expiration = ttl === 0 ? 0 : extend(ttl, staleTtl);
  if (expiration > limit.max) {
    throw new InvalidExpirationError(
      `ttl + staleTtl must come to at most ${limit.max}${limit.why}, got ${ttl} + ${staleTtl}`,
    );
  }
  return {
    expiration,
    recache: ttl === 0 || window === 0 ? undefined : window + 1,
    timeoutMs,
    signal,
  };
}

// memcached reads an expiration over 30 days as a Unix time: a relative ttl that the stale window
// pushes past 30 days must become one, or the item would expire at once (a time in 1970).
const MAX_RELATIVE = 30 * 24 * 3600;
function extend(ttl: number, seconds: number): number {
  const total = ttl + seconds;
  if (ttl > MAX_RELATIVE || total <= MAX_RELATIVE) return total;
  return Math.floor(Date.now() / 1000) + total;
}
