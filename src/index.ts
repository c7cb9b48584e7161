export type {
  ConnectionContext,
  ConnectionEvent,
  ConnectionInput,
  ConnectionMachine,
  ProbeInput,
} from '../machines/connectionMachine';
export { connectionMachine } from '../machines/connectionMachine';
export type { PoolContext, PoolEvent, PoolInput, PoolMachine, PoolServer } from '../machines/poolMachine';
export { poolMachine } from '../machines/poolMachine';
export type { CallOptions } from './api/CallOptions';
export type * from './api/Client';
export type { CounterOptions } from './api/CounterOptions';
export type { FetchOptions, InvalidateOptions } from './api/fetchOptions';
export type { CasToken, GetsItem, Item } from './api/Item';
export type {
  CounterResult,
  DeleteMultiResult,
  GetsResult,
  SetMultiResult,
  StoreResult,
  TouchResult,
} from './api/results';
export { createClient } from './client/createClient';
export type { Codec, DecodedValue, DefaultInput, EncodableValue, Encoded, SyncCodec } from './codec/Codec';
export { COMPRESSED_FLAG, type CompressedOptions, compressed } from './codec/compressed';
export { jsonCodec } from './codec/jsonCodec';
export { memcachedPackageCodec } from './codec/memcachedPackageCodec';
export { type PythonValue, pymemcacheCodec } from './codec/pymemcacheCodec';
export { rawCodec } from './codec/rawCodec';
export type { CommonClientOptions } from './config/ClientOptions';
export type * from './config/DiscoveryOptions';
export type { ClientOptions } from './config/options';
export type { ServerList, ServerSpec } from './config/parseServers';
export type { Protocol } from './config/protocol';
export type { TlsOptions } from './config/tls';
export type { CommandContext, DiscoveryChange } from './core/channels';
export { COMMAND_CHANNEL, DISCOVERY_CHANNEL, STATE_CHANNEL } from './core/channels';
export type { Clock } from './core/clock';
export type { ConnectionCode, ErrorCode, InvalidInputCode } from './core/errors';
export {
  AdminCommandError,
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  CounterRangeError,
  CredentialsNotRequiredError,
  DecodeError,
  InvalidCasError,
  InvalidCounterError,
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidInputError,
  InvalidItemError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  isReconnectingMemcachedError,
  PingError,
  ReconnectingMemcachedError,
  ServerError,
  TimeoutError,
  UnsupportedFlagsError,
} from './core/errors';
export type { Logger } from './core/logger';
export type { DistributionName } from './distribution/Distribution';
