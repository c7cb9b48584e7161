import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/**
 * `incr`/`decr` with a number `delta` found a counter above `Number.MAX_SAFE_INTEGER` (2^53 - 1),
 * which a number cannot hold exactly. memcached did the change; `value` is the exact new value.
 * Pass the delta as a bigint (`incr(key, 1n)`) to get bigint answers.
 */
export class CounterRangeError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_COUNTER_RANGE';
  /** The counter's new value, exactly. */
  readonly value: bigint;
  constructor(value: bigint) {
    super(
      'ERR_COUNTER_RANGE',
      `the counter is ${value}, above Number.MAX_SAFE_INTEGER: pass delta as a bigint for bigint answers`,
    );
    this.value = value;
  }
}
