// The errors of the commands beyond get/set/delete: bad counter and CAS inputs, a
// counter too large for a number, and an admin command that some server did not answer.
import { InvalidInputError, ReconnectingMemcachedError } from './errors';

/** A CAS token that is not a bigint in [1, 2^64) (use the `cas` that `gets` answered). */
export class InvalidCasError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_CAS', message);
  }
}

/** A counter's `delta` or `initial` that is not a whole number >= 0 (a safe integer, or a bigint below 2^64). */
export class InvalidCounterError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_COUNTER', message);
  }
}

/**
 * `incr`/`decr` with a number `delta` found a counter above `Number.MAX_SAFE_INTEGER` (2^53 - 1),
 * which a number cannot hold exactly. memcached did the change; `value` is the exact new value.
 * Pass the delta as a bigint (`incr(key, 1n)`) to get bigint answers.
 */
export class CounterRangeError extends ReconnectingMemcachedError {
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

/**
 * `flush`, `stats` or `version` when some server did not answer. Names each failing server and why;
 * what the others answered is in `answers`.
 */
export class AdminCommandError extends ReconnectingMemcachedError {
  /** `'flush'`, `'stats'` or `'version'`. */
  readonly command: string;
  /**
   * Each server (`host:port`) that failed, in server-list order, with its error: a
   * `ConnectionDownError`, `TimeoutError`, `ConnectionError` or `ServerError`.
   */
  readonly failures: ReadonlyMap<string, ReconnectingMemcachedError>;
  /** What each server that did answer answered. */
  readonly answers: ReadonlyMap<string, unknown>;
  constructor(
    command: string,
    failures: ReadonlyMap<string, ReconnectingMemcachedError>,
    answers: ReadonlyMap<string, unknown>,
  ) {
    const list = [...failures].map(([server, err]) => `${server} (${err.code})`).join(', ');
    const servers = failures.size + answers.size;
    super('ERR_ADMIN_COMMAND', `memcached ${command} failed on ${failures.size} of ${servers} servers: ${list}`, {
      cause: failures.values().next().value,
    });
    this.command = command;
    this.failures = failures;
    this.answers = answers;
  }
}
