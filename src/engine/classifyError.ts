import { ConnectionError, ReconnectingMemcachedError, TimeoutError } from '../core/errors';

/**
 * What kind of failure an error from memjs (or from our own deadline) is.
 * - `connection`: the link to memcached is not usable; counts toward healing.
 * - `server`: memcached answered with an error status, or something else went wrong that says
 *   nothing about the link; never counts.
 *
 * Only the first kind may start a heal: a caller's "value too large" must not look like an outage
 * (a defect of the Go original, which counted every error). Like pymemcache, only socket-level
 * failures count.
 */
export type FailureKind = 'connection' | 'server';

// memjs's own timeouts and "no server left" are plain Errors without a code.
const CONNECTION_MESSAGES = new Set([
  'socket timed out connecting to server.',
  'socket timed out waiting on response.',
  'No servers available',
]);

export function classifyError(err: unknown): FailureKind {
  // memjs reports a SASL failure as a plain string: the server cannot be used.
  if (typeof err === 'string') return 'connection';
  // Our own errors carry a `code` too, so they are told apart before the system-error check.
  if (err instanceof ReconnectingMemcachedError) {
    return err instanceof TimeoutError || err instanceof ConnectionError ? 'connection' : 'server';
  }
  if (err instanceof Error) {
    // Node system errors: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, ...
    if (typeof (err as NodeJS.ErrnoException).code === 'string') return 'connection';
    if (CONNECTION_MESSAGES.has(err.message)) return 'connection';
  }
  return 'server';
}
