import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/**
 * `flush`, `stats` or `version` when some server did not answer. Names each failing server and why;
 * what the others answered is in `answers`.
 */
export class AdminCommandError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_ADMIN_COMMAND';
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
