export type { ConnectionContext, ConnectionEvent, ConnectionMachine } from '../machines/connectionMachine';
export { connectionMachine } from '../machines/connectionMachine';
export type { PoolContext, PoolEvent, PoolMachine, PoolServer } from '../machines/poolMachine';
export { poolMachine } from '../machines/poolMachine';
export type {
  Client,
  ConnectionActor,
  ConnectionState,
  GetMultiResult,
  GetResult,
  NotOk,
  NotOkReason,
  ServerStatus,
  SetItem,
  StateChange,
  StateListener,
} from './Client';
export { createClient } from './Client';
export type { Clock } from './clock';
export type { DistributionName } from './distribution/Distribution';
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
  PingError,
  ReconnectingMemcachedError,
  ServerError,
  TimeoutError,
} from './errors';
export type { Logger } from './logger';
export type { Item } from './MemcachedPort';
export type { ClientOptions } from './options';
export type { ServerSpec } from './parseServers';
