import type { ConnectionCode } from './ErrorCode';
import { messageOf, ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** The socket failed: refused, reset, unreachable, timed out inside memjs, no server, authentication failed. */
export class ConnectionError extends ReconnectingMemcachedError {
  declare readonly code: ConnectionCode;
  constructor(cause: unknown, code: ConnectionCode = 'ERR_CONNECTION') {
    super(code, `memcached connection failed: ${messageOf(cause)}`, { cause });
  }
}

/**
 * The server was given credentials but does not check them (over meta: memcached started without an
 * auth file, `-Y`, which would store them as an item any client can read). They were not sent, and
 * the server is not used: a connection failure, counted like a wrong password.
 */
export class CredentialsNotRequiredError extends ConnectionError {
  declare readonly code: 'ERR_CREDENTIALS_NOT_REQUIRED';
  /** The server (`host:port`, or a UNIX socket's path). */
  readonly server: string;
  constructor(server: string) {
    super(
      new Error(
        `${server} does not require authentication (memcached without -Y); the credentials were not sent: remove them from servers, or start memcached with -Y`,
      ),
      'ERR_CREDENTIALS_NOT_REQUIRED',
    );
    this.server = server;
  }
}
