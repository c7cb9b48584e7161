import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** The connection is being healed: calls answer not-ok without I/O. */
export class ConnectionDownError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_CONNECTION_DOWN';
  /** The server (`host:port`) whose connection is down, when known. */
  readonly server: string | undefined;
  constructor(server?: string) {
    const which = server === undefined ? '' : ` to ${server}`;
    super('ERR_CONNECTION_DOWN', `memcached connection${which} is down; reconnecting in the background`);
    this.server = server;
  }
}
