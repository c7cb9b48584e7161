import type { CallOptions } from '../api/CallOptions';
import type { CounterOptions } from '../api/CounterOptions';
import { InvalidExpirationError } from '../core/errors';
import { counterValue, type ExpirationLimit, validateExpiration } from '../core/validation';
import { CALL_OPTIONS, checkOptionsObject } from '../engine/callOptions';

/** The fields of `CounterOptions`. */
const COUNTER_OPTIONS: readonly string[] = ['initial', 'expiration', ...CALL_OPTIONS];

// memcached's binary protocol reads a counter expiration of 2^32 - 1 as "do not create".
const COUNTER_NO_CREATE = 0xffffffff;

/** What `incr`/`decr` do with their options: how to create an absent counter, and the call's own. */
export interface CounterPlan {
  readonly initial: bigint | undefined;
  readonly expiration: number;
  /** A copy of `timeoutMs` and `signal`, for the call runner. */
  readonly call: CallOptions | undefined;
}

/**
 * Reads a counter's options once and checks them before any I/O: `InvalidOptionError` for a field
 * `CounterOptions` does not have, `InvalidCounterError` for a bad `initial`, `InvalidExpirationError`
 * for a bad `expiration` (an absolute one already past by `unixSeconds` included).
 */
export function counterPlan(
  opts: CounterOptions | undefined,
  unixSeconds: () => number,
  expirations: ExpirationLimit,
): CounterPlan {
  if (opts === undefined) return { initial: undefined, expiration: 0, call: undefined };
  checkOptionsObject(opts, COUNTER_OPTIONS, 'an object with initial, expiration, timeoutMs and/or signal');
  const { initial: rawInitial, expiration = 0, timeoutMs, signal } = opts;
  const initial = rawInitial === undefined ? undefined : counterValue('initial', rawInitial);
  validateExpiration(expiration, unixSeconds, expirations);
  if (initial !== undefined && expiration === COUNTER_NO_CREATE) {
    throw new InvalidExpirationError('a counter created with initial cannot have expiration 2^32 - 1');
  }
  return { initial, expiration, call: { timeoutMs, signal } };
}
