/** The codes of the caller's bad input (`InvalidInputError` and its subclasses). */
export type InvalidInputCode =
  | 'ERR_INVALID_KEY'
  | 'ERR_INVALID_ITEM'
  | 'ERR_INVALID_VALUE'
  | 'ERR_INVALID_EXPIRATION'
  | 'ERR_INVALID_FLAGS'
  | 'ERR_INVALID_FAULT_MODE'
  | 'ERR_INVALID_CAS'
  | 'ERR_INVALID_COUNTER';

/** The codes of a failed connection (`ConnectionError` and its subclass). */
export type ConnectionCode = 'ERR_CONNECTION' | 'ERR_CREDENTIALS_NOT_REQUIRED';

/**
 * Every `code` an error of this library has: each class's own (`TimeoutError`: `'ERR_TIMEOUT'`),
 * the value to pass to `isReconnectingMemcachedError(err, code)`.
 */
export type ErrorCode =
  | InvalidInputCode
  | 'ERR_INVALID_OPTION'
  | ConnectionCode
  | 'ERR_CONNECTION_DOWN'
  | 'ERR_PING'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_TIMEOUT'
  | 'ERR_SERVER'
  | 'ERR_INSPECTOR_UNAVAILABLE'
  | 'ERR_COUNTER_RANGE'
  | 'ERR_ADMIN_COMMAND'
  | 'ERR_DECODE'
  | 'ERR_UNSUPPORTED_FLAGS';
