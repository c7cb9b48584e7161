import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/**
 * Thrown by a codec's `decode` for flags it does not read (a pickled Python object, a compressed
 * value without `compressed()`, bits another client set). The client reports it as the `cause` of a
 * `DecodeError`.
 */
export class UnsupportedFlagsError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_UNSUPPORTED_FLAGS';
  readonly flags: number;
  constructor(flags: number, what: string) {
    super('ERR_UNSUPPORTED_FLAGS', `flags 0x${flags.toString(16)}: ${what}`);
    this.flags = flags;
  }
}
