export type { ConnectionContext, ConnectionEvent, ConnectionMachine } from '../machines/connectionMachine';
export { connectionMachine } from '../machines/connectionMachine';
export type { PoolContext, PoolEvent, PoolMachine, PoolServer } from '../machines/poolMachine';
export { poolMachine } from '../machines/poolMachine';
export type { CallOptions } from './api/CallOptions';
export type {
  CasItem,
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
} from './api/Client';
export type { CounterOptions } from './api/CounterOptions';
export type { CasToken, GetsItem } from './api/Item';
export type {
  CounterResult,
  DeleteMultiResult,
  GetsResult,
  SetMultiResult,
  StoreResult,
  TouchResult,
} from './api/results';
export { createClient } from './client/createClient';
export type { ClientOptions } from './config/options';
export type { ServerSpec } from './config/parseServers';
export type { Clock } from './core/clock';
export { AdminCommandError, CounterRangeError, InvalidCasError, InvalidCounterError } from './core/commandErrors';
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
} from './core/errors';
export type { Logger } from './core/logger';
export type { DistributionName } from './distribution/Distribution';
export type { Item } from './port/MemcachedPort';
