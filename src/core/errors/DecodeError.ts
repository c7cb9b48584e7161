import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/**
 * A value memcached returned that the codec could not decode: corrupt bytes, a flag the codec does
 * not read, a pickled Python object. The read answers `{ ok: false, reason: 'decode', error }`; the
 * connection is healthy and nothing counts toward healing. `cause` is what the codec threw, or the
 * call's `TimeoutError` when the value was still decoding as the call's deadline passed.
 */
export class DecodeError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_DECODE';
  /** The key whose value did not decode. */
  readonly key: string;
  /** The flags stored with the value. */
  readonly flags: number;
  /** `reason`: what went wrong, when not what `cause` says. */
  constructor(key: string, flags: number, cause: unknown, reason?: string) {
    const why = reason ?? (cause instanceof Error ? cause.message : String(cause));
    super('ERR_DECODE', `value of ${JSON.stringify(key)} (flags 0x${flags.toString(16)}) did not decode: ${why}`, {
      cause,
    });
    this.key = key;
    this.flags = flags;
  }
}
