// Every error class of the library, each with its stable `code` (`ErrorCode`): the one place to
// import them from. Each class is in src/core/errors/, with the others of its concept.
export { AdminCommandError } from './errors/AdminCommandError';
export { ClientClosedError } from './errors/ClientClosedError';
export { ConnectionDownError } from './errors/ConnectionDownError';
export { ConnectionError, CredentialsNotRequiredError } from './errors/ConnectionError';
export { CounterRangeError } from './errors/CounterRangeError';
export { DecodeError } from './errors/DecodeError';
export { describeValue, VALUE_NOT_SHOWN } from './errors/describeValue';
export type { ConnectionCode, ErrorCode, InvalidInputCode } from './errors/ErrorCode';
export { InspectorUnavailableError } from './errors/InspectorUnavailableError';
export {
  InvalidCasError,
  InvalidCounterError,
  InvalidExpirationError,
  InvalidFaultModeError,
  InvalidFlagsError,
  InvalidInputError,
  InvalidItemError,
  InvalidKeyError,
  InvalidValueError,
} from './errors/InvalidInputError';
export { InvalidOptionError } from './errors/InvalidOptionError';
export { PingError } from './errors/PingError';
export { isReconnectingMemcachedError, ReconnectingMemcachedError } from './errors/ReconnectingMemcachedError';
export { ServerError } from './errors/ServerError';
export { TimeoutError } from './errors/TimeoutError';
export { UnsupportedFlagsError } from './errors/UnsupportedFlagsError';
