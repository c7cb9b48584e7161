import type { FetchOptions } from '../api/fetchOptions';
import { InvalidExpirationError, InvalidOptionError } from '../core/errors';
import { type ExpirationLimit, MAX_RELATIVE_EXPIRATION, validateExpiration } from '../core/validation';
import { checkOptionsObject } from '../engine/callOptions';

/** The fields of `FetchOptions`. */
const FETCH_OPTIONS: readonly string[] = ['ttl', 'staleTtl', 'recacheBefore', 'timeoutMs', 'leaseTtl', 'signal'];

/** How long a fetch waits for another client's load before loading itself, by default, in ms. */
export const DEFAULT_FETCH_TIMEOUT_MS = 1000;

/** How long memcached keeps a miss's placeholder (the loading fetch's lease) by default, in seconds. */
export const DEFAULT_LEASE_TTL = 30;

/** What fetch does with its options, validated: the expiration, lease and recache window memcached gets. */
export interface FetchPlan {
  readonly expiration: number;
  readonly recache: number | undefined;
  /** Seconds the placeholder of a miss lives (`ms <key> 0 ... T<leaseTtl> ME`, docs/meta-protocol.md). */
  readonly leaseTtl: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/** Validates `fetch`'s options (typed errors, before any I/O) and turns them into memcached's terms. */
export function fetchPlan(options: FetchOptions, unixSeconds: () => number, limit: ExpirationLimit): FetchPlan {
  checkOptionsObject(options, FETCH_OPTIONS, 'an object with at least `ttl`');
  const {
    ttl,
    staleTtl = 0,
    recacheBefore = 0,
    timeoutMs = DEFAULT_FETCH_TIMEOUT_MS,
    leaseTtl = DEFAULT_LEASE_TTL,
    signal,
  } = options;
  validateExpiration(ttl, unixSeconds, limit);
  validateExpiration(staleTtl, undefined, limit);
  validateExpiration(recacheBefore, undefined, limit);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2 ** 31 - 1) {
    throw new InvalidOptionError('timeoutMs', timeoutMs, 'a number of milliseconds > 0');
  }
  // memcached reads an expiration over 30 days as a Unix time: a longer lease would be gone at once.
  const maxLease = MAX_RELATIVE_EXPIRATION;
  if (typeof leaseTtl !== 'number' || !Number.isInteger(leaseTtl) || leaseTtl < 1 || leaseTtl > maxLease) {
    throw new InvalidOptionError('leaseTtl', leaseTtl, `a whole number of seconds from 1 to ${maxLease}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', signal, 'an AbortSignal');
  }
  // A value lives `staleTtl` past its `ttl`; memcached hands one reader the refresh (`R<n>`: fewer
  // than n seconds left) once at most `staleTtl + recacheBefore` are left. memcached counts whole
  // seconds and an item with 0 left is gone, so `R1` would never fire: hence the + 1. ttl 0 never
  // expires: nothing to refresh.
  const window = staleTtl + recacheBefore;
  const expiration = ttl === 0 ? 0 : extend(ttl, staleTtl, unixSeconds);
  if (expiration > limit.max) {
    throw new InvalidExpirationError(
      `ttl + staleTtl must come to at most ${limit.max}${limit.why}, got ${ttl} + ${staleTtl}`,
    );
  }
  return {
    expiration,
    recache: ttl === 0 || window === 0 ? undefined : window + 1,
    timeoutMs,
    leaseTtl,
    signal,
  };
}

// memcached reads an expiration over 30 days as a Unix time: a relative ttl that the stale window
// pushes past 30 days must become one, or the item would expire at once (a time in 1970).
function extend(ttl: number, seconds: number, unixSeconds: () => number): number {
  const total = ttl + seconds;
  if (ttl > MAX_RELATIVE_EXPIRATION || total <= MAX_RELATIVE_EXPIRATION) return total;
  return unixSeconds() + total;
}
