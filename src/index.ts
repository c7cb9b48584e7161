export type { ConnectionContext, ConnectionEvent, ConnectionMachine } from '../machines/connectionMachine';
export { connectionMachine } from '../machines/connectionMachine';
export type {
  Client,
  ConnectionState,
  GetMultiResult,
  GetResult,
  NotOk,
  NotOkReason,
  SetItem,
  StateChange,
  StateListener,
} from './Client';
export { createClient } from './Client';
export type { Clock } from './clock';
export {
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidInputError,
  InvalidItemError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  ReconnectingMemcachedError,
  ServerError,
  TimeoutError,
} from './errors';
export type { Logger } from './logger';
export type { Item } from './MemcachedPort';
export type { ClientOptions } from './options';
