import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, resolveOptions } from '../../../src/config/options';
import { resolveDiscovery } from '../../../src/config/resolveDiscovery';
import { InvalidOptionError } from '../../../src/core/errors';

const resolver = { resolve4: async () => [], resolve6: async () => [], resolveSrv: async () => [] };

describe('the discovery option', () => {
  it('takes each source with its default interval', () => {
    expect(resolveDiscovery({ elasticache: 'cfg.example:11211' }, MAX_TIMER_MS)).toEqual({
      kind: 'elasticache',
      host: 'cfg.example',
      port: 11211,
      intervalMs: 60_000,
    });
    expect(resolveDiscovery({ dns: 'memcached.default.svc:11311' }, MAX_TIMER_MS)).toEqual({
      kind: 'dns',
      name: 'memcached.default.svc',
      port: 11311,
      intervalMs: 30_000,
      resolver: undefined,
    });
    expect(resolveDiscovery({ srv: '_memcache._tcp.cache.local', intervalMs: 5_000, resolver }, MAX_TIMER_MS)).toEqual({
      kind: 'srv',
      name: '_memcache._tcp.cache.local',
      intervalMs: 5_000,
      resolver,
    });
  });

  it('lets servers be left out with discovery, and starts with none', () => {
    const options = resolveOptions({ discovery: { dns: 'cache.local:11211' } });
    expect(options.servers).toEqual([]);
    expect(options.discovery?.kind).toBe('dns');
    expect(resolveOptions({ servers: 'a:1', discovery: { dns: 'cache.local' } }).servers.map((s) => s.id)).toEqual([
      'a:1',
    ]);
  });

  it('still needs servers without discovery', () => {
    expect(() => resolveOptions({} as never)).toThrow(/Invalid option servers/);
  });

  it('gives a poll at least 2 s, or the probe deadline if longer', () => {
    expect(resolveOptions({ servers: 'a', timeoutMs: 100 }).pollTimeoutMs).toBe(2_000);
    expect(resolveOptions({ servers: 'a', timeoutMs: 1_000 }).pollTimeoutMs).toBe(3_000);
  });

  it.each([
    ['discovery', 'cfg:11211', /expected an object with one of elasticache, dns or srv/],
    ['discovery', {}, /"none"; expected exactly one of elasticache, dns or srv/],
    ['discovery', { dns: 'a', srv: '_a._tcp.b' }, /"dns and srv"; expected exactly one/],
    ['discovery.intervalMs', { dns: 'a', intervalMs: 0 }, /discovery.intervalMs: 0; expected a number of milliseconds/],
    ['discovery.intervalMs', { dns: 'a', intervalMs: '30s' }, /"30s"/],
    ['discovery.elasticache', { elasticache: 'cfg:99999' }, /"cfg:99999"; expected a "host:port"/],
    ['discovery.elasticache', { elasticache: 42 }, /42; expected a "host:port"/],
    ['discovery.dns', { dns: '/run/memcached.sock' }, /expected a "host:port"/],
    ['discovery.dns', { dns: 'user:secret@cache:11211' }, /\(value not shown\)/],
    ['discovery.srv', { srv: 'cache.local' }, /"cache.local"; expected a name "_service._proto.name"/],
    ['discovery.resolver', { dns: 'a', resolver: { resolve4: () => [] } }, /with resolve4 and resolve6/],
    ['discovery.resolver', { srv: '_a._tcp.b', resolver: {} }, /with resolveSrv/],
    ['discovery.resolver', { elasticache: 'cfg', resolver }, /dns or srv only/],
    ['discovery.intervalM', { dns: 'a', intervalM: 5 }, /did you mean intervalMs\?/],
  ])('rejects %s in %j', (option, discovery, message) => {
    const attempt = () => resolveOptions({ discovery } as never);
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect((err as InvalidOptionError).option).toBe(option);
    }
  });

  it('never shows a secret given where a host belongs', () => {
    expect(() => resolveOptions({ discovery: { elasticache: 'admin:hunter2@cfg:11211' } })).not.toThrow(/hunter2/);
  });

  it('reads the option once: a later change to it changes nothing', () => {
    const given = { dns: 'cache.local:11211', intervalMs: 1_000 };
    const resolved = resolveDiscovery(given, MAX_TIMER_MS);
    given.intervalMs = 5;
    expect(resolved?.intervalMs).toBe(1_000);
  });
});
