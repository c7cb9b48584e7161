import type { InvalidInputCode } from './ErrorCode';
import { ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** Bad input from the caller. Thrown before anything reaches the socket; never counts toward healing. */
export class InvalidInputError extends ReconnectingMemcachedError {
  declare readonly code: InvalidInputCode;
}

/** A key that memcached would reject or misread: not a string, empty, over 250 bytes, or with whitespace or control characters. */
export class InvalidKeyError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_KEY';
  constructor(message: string) {
    super('ERR_INVALID_KEY', message);
  }
}

/** `set` was given something other than an item object (null and undefined are a no-op). */
export class InvalidItemError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_ITEM';
  constructor(message: string) {
    super('ERR_INVALID_ITEM', message);
  }
}

/** A value that is neither a Buffer nor a string. */
export class InvalidValueError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_VALUE';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_VALUE', message, options);
  }
}

/** An expiration that is not a whole number of seconds in [0, 2^32), or past what the protocol carries (meta: 2^31 - 1). */
export class InvalidExpirationError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_EXPIRATION';
  constructor(message: string) {
    super('ERR_INVALID_EXPIRATION', message);
  }
}

/** Flags that are not a whole number in [0, 2^32). */
export class InvalidFlagsError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_FLAGS';
  constructor(message: string) {
    super('ERR_INVALID_FLAGS', message);
  }
}

/** A mode `FaultProxy.setMode` (in `reconnecting-memcached/testing`) does not know, or one with a bad field. */
export class InvalidFaultModeError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_FAULT_MODE';
  constructor(message: string) {
    super('ERR_INVALID_FAULT_MODE', message);
  }
}

/** A CAS token that is not a bigint in [1, 2^64) (use the `cas` that `gets` answered). */
export class InvalidCasError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_CAS';
  constructor(message: string) {
    super('ERR_INVALID_CAS', message);
  }
}

/** A counter's `delta` or `initial` that is not a whole number >= 0 (a safe integer, or a bigint below 2^64). */
export class InvalidCounterError extends InvalidInputError {
  declare readonly code: 'ERR_INVALID_COUNTER';
  constructor(message: string) {
    super('ERR_INVALID_COUNTER', message);
  }
}
