import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** A call did not settle within `timeoutMs`. */
export class TimeoutError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_TIMEOUT';
  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super('ERR_TIMEOUT', `memcached did not answer within ${timeoutMs} ms`, options);
  }
}
