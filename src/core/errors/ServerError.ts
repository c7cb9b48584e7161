import { messageOf, ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** memcached answered with an error status (value too large, not stored, ...). Does not count toward healing. */
export class ServerError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_SERVER';
  constructor(cause: unknown) {
    super('ERR_SERVER', `memcached refused the request: ${messageOf(cause)}`, { cause });
  }
}
