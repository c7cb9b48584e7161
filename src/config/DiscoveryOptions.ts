// The `discovery` option's public shapes; resolveDiscovery.ts reads and validates it.
/** One SRV record, as `node:dns/promises`' `resolveSrv` answers it. */
export interface DiscoverySrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/**
 * What discovery asks of DNS: the methods of `node:dns/promises`' `Resolver` it calls. Pass a
 * `new Resolver()` with `setServers([...])` to ask DNS servers other than the system's.
 */
export interface DiscoveryResolver {
  resolve4(hostname: string): Promise<string[]>;
  resolve6(hostname: string): Promise<string[]>;
  resolveSrv(hostname: string): Promise<DiscoverySrvRecord[]>;
}

/** The options every source shares. */
interface DiscoveryCommon {
  /**
   * The wait between two polls, in milliseconds; each wait is jittered within [0.9, 1.1) of it.
   * After a failed poll the next one waits the client's backoff (`recoveryDelayMs`, doubling up to
   * `maxRecoveryDelayMs`) instead.
   * @default 60000 for `elasticache`, 30000 for `dns` and `srv`
   */
  readonly intervalMs?: number;
}

/** AWS ElastiCache (or Memorystore) auto discovery: `config get cluster` on the configuration endpoint. */
export interface ElastiCacheDiscovery extends DiscoveryCommon {
  /** The configuration endpoint, `host:port` (port 11211 when left out). */
  readonly elasticache: string;
  readonly dns?: never;
  readonly srv?: never;
  readonly resolver?: never;
}

/** Every A and AAAA record of a name (a Kubernetes headless service), each a server on `port`. */
export interface DnsDiscovery extends DiscoveryCommon {
  /** `name:port` (port 11211 when left out). */
  readonly dns: string;
  readonly elasticache?: never;
  readonly srv?: never;
  /** The DNS to ask. @default the system's (`node:dns/promises`) */
  readonly resolver?: DiscoveryResolver;
}

/** Every SRV record of the lowest priority: target and port, the record's weight as the server's. */
export interface SrvDiscovery extends DiscoveryCommon {
  /** `_service._proto.name`, e.g. `_memcache._tcp.memcached.default.svc.cluster.local`. */
  readonly srv: string;
  readonly elasticache?: never;
  readonly dns?: never;
  /** The DNS to ask. @default the system's (`node:dns/promises`) */
  readonly resolver?: DiscoveryResolver;
}

/** The `discovery` option: one source of the server list. */
export type DiscoveryOptions = ElastiCacheDiscovery | DnsDiscovery | SrvDiscovery;
