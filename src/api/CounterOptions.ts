import type { CallOptions } from './CallOptions';

/** Options of `incr`/`decr`: the call's own, and how to create an absent counter. */
export interface CounterOptions extends CallOptions {
  /**
   * Creates an absent counter with this value (a safe integer >= 0, or a bigint below 2^64).
   * Without it an absent counter stays absent and the answer's `value` is undefined.
   */
  readonly initial?: number | bigint;
  /**
   * The created counter's expiration, in seconds with memcached's meaning (0 never, up to 30 days
   * relative, larger a Unix time, refused when already past). Only used when the counter is created. @default 0
   */
  readonly expiration?: number;
}
