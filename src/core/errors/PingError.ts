import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/**
 * `ping()` of a client with several servers, when some did not answer. With one server, `ping()`
 * rejects with that server's own error instead.
 */
export class PingError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_PING';
  /**
   * Each server (`host:port`) that failed, in server-list order, with its error: a
   * `ConnectionDownError`, `TimeoutError`, `ConnectionError` or `ServerError`.
   */
  readonly failures: ReadonlyMap<string, ReconnectingMemcachedError>;
  constructor(failures: ReadonlyMap<string, ReconnectingMemcachedError>, servers: number) {
    const list = [...failures].map(([server, err]) => `${server} (${err.code})`).join(', ');
    super('ERR_PING', `memcached ping failed on ${failures.size} of ${servers} servers: ${list}`, {
      cause: failures.values().next().value,
    });
    this.failures = failures;
  }
}
