// Type tests of the `discovery` option: checked by `npm run typecheck`, run by vitest as no-ops.
import { Resolver } from 'node:dns/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  ClientOptions,
  DiscoveryChange,
  DiscoveryOptions,
  DiscoveryResolver,
  DnsDiscovery,
  ElastiCacheDiscovery,
  ServerList,
  SrvDiscovery,
} from '../../src/index';
import { createClient, DISCOVERY_CHANNEL } from '../../src/index';
import { ElastiCacheEndpoint } from '../../src/testing/index';

describe('the discovery option', () => {
  it('is one of three sources, each with an optional interval in milliseconds', () => {
    expectTypeOf<DiscoveryOptions>().toEqualTypeOf<ElastiCacheDiscovery | DnsDiscovery | SrvDiscovery>();
    expectTypeOf<ElastiCacheDiscovery['elasticache']>().toEqualTypeOf<string>();
    expectTypeOf<DnsDiscovery['dns']>().toEqualTypeOf<string>();
    expectTypeOf<SrvDiscovery['srv']>().toEqualTypeOf<string>();
    expectTypeOf<DnsDiscovery['intervalMs']>().toEqualTypeOf<number | undefined>();
    const sources: DiscoveryOptions[] = [
      { elasticache: 'cfg.example.cache.amazonaws.com:11211', intervalMs: 60_000 },
      { dns: 'memcached.default.svc.cluster.local:11211' },
      { srv: '_memcache._tcp.memcached.default.svc.cluster.local', intervalMs: 30_000 },
    ];
    // @ts-expect-error one source at a time
    const two: DiscoveryOptions = { dns: 'a:1', srv: '_a._tcp.b' };
    // @ts-expect-error a duration is a number of milliseconds
    const withUnit: DiscoveryOptions = { dns: 'a:1', intervalMs: '30s' };
    // @ts-expect-error a resolver is for DNS sources only
    const resolverForElastiCache: DiscoveryOptions = { elasticache: 'cfg:11211', resolver: new Resolver() };
    // @ts-expect-error a source is needed
    const none: DiscoveryOptions = { intervalMs: 1000 };
    void [sources, two, withUnit, resolverForElastiCache, none];
  });

  it("takes node:dns/promises' Resolver, or anything shaped like it", () => {
    expectTypeOf<Resolver>().toMatchTypeOf<DiscoveryResolver>();
    const dns: DiscoveryOptions = { dns: 'cache.local:11211', resolver: new Resolver() };
    const srv: DiscoveryOptions = {
      srv: '_memcache._tcp.cache.local',
      resolver: {
        resolve4: async () => ['10.0.0.1'],
        resolve6: async () => [],
        resolveSrv: async () => [{ name: 'cache-0.cache.local', port: 11211, priority: 0, weight: 1 }],
      },
    };
    const numbers = { resolve4: async () => 1, resolve6: async () => [], resolveSrv: async () => [] };
    // @ts-expect-error resolve4 answers addresses
    const wrong: DiscoveryOptions = { dns: 'a:1', resolver: numbers };
    void [dns, srv, wrong];
  });

  it('makes servers optional, and only then', () => {
    const discovered: ClientOptions = { discovery: { dns: 'cache.local:11211' } };
    const startingWith: ClientOptions = { servers: ['10.0.0.1:11211'], discovery: { dns: 'cache.local:11211' } };
    // @ts-expect-error without discovery, servers is required
    const neither: ClientOptions = { timeoutMs: 100 };
    expectTypeOf(createClient({ discovery: { srv: '_memcache._tcp.cache.local' } }).setServers)
      .parameter(0)
      .toEqualTypeOf<ServerList>();
    void [discovered, startingWith, neither];
  });

  it('publishes on a named channel, and the endpoint stub is part of ./testing', () => {
    expectTypeOf(DISCOVERY_CHANNEL).toBeString();
    expect(DISCOVERY_CHANNEL).toBe('reconnecting-memcached:discovery');
    expectTypeOf<DiscoveryChange['added']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<DiscoveryChange['version']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(ElastiCacheEndpoint.start).returns.resolves.toEqualTypeOf<ElastiCacheEndpoint>();
    expectTypeOf<ElastiCacheEndpoint['address']>().toEqualTypeOf<string>();
  });
});
