import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** `close()` was called. */
export class ClientClosedError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_CLIENT_CLOSED';
  constructor() {
    super('ERR_CLIENT_CLOSED', 'the client is closed');
  }
}
