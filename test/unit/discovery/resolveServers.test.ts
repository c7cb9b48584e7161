import { describe, expect, it } from 'vitest';
import type { DiscoveryResolver, DiscoverySrvRecord } from '../../../src/config/DiscoveryOptions';
import { resolveAddresses, resolveSrvServers } from '../../../src/discovery/resolveServers';

function dnsError(code: string): Error {
  return Object.assign(new Error(`query failed: ${code}`), { code });
}

function resolver(answers: {
  v4?: string[] | Error;
  v6?: string[] | Error;
  srv?: DiscoverySrvRecord[] | Error;
}): DiscoveryResolver {
  const answer = <T>(value: T | Error | undefined, fallback: T) =>
    value instanceof Error ? Promise.reject(value) : Promise.resolve(value ?? fallback);
  return {
    resolve4: () => answer(answers.v4, []),
    resolve6: () => answer(answers.v6, []),
    resolveSrv: () => answer(answers.srv, []),
  };
}

describe('resolveAddresses', () => {
  it('lists every A and AAAA record on the port, in one order whatever DNS gave', async () => {
    const reply = await resolveAddresses(resolver({ v4: ['10.0.0.2', '10.0.0.1'], v6: ['fd00::1'] }), 'c', 11211);
    expect(reply).toEqual({
      ok: true,
      servers: [
        { id: '10.0.0.1:11211', weight: 1 },
        { id: '10.0.0.2:11211', weight: 1 },
        { id: '[fd00::1]:11211', weight: 1 },
      ],
    });
  });

  it('takes a family with no records (ENODATA) as none', async () => {
    const reply = await resolveAddresses(resolver({ v4: ['10.0.0.1'], v6: dnsError('ENODATA') }), 'c', 11211);
    expect(reply).toMatchObject({ ok: true, servers: [{ id: '10.0.0.1:11211' }] });
  });

  it('fails when either family fails otherwise: a list without it would remove its servers', async () => {
    await expect(resolveAddresses(resolver({ v4: ['10.0.0.1'], v6: dnsError('ETIMEOUT') }), 'c', 1)).rejects.toThrow(
      /ETIMEOUT/,
    );
  });

  it('fails when there is no record at all', async () => {
    const none = resolver({ v4: dnsError('ENODATA'), v6: dnsError('ENODATA') });
    await expect(resolveAddresses(none, 'cache.local', 1)).rejects.toThrow(
      'DNS has no A or AAAA record for cache.local',
    );
  });
});

describe('resolveSrvServers', () => {
  it('takes the lowest priority only, with each weight brought into 1..1000', async () => {
    const reply = await resolveSrvServers(
      resolver({
        srv: [
          { name: 'b.local', port: 11211, priority: 10, weight: 5 },
          { name: 'a.local', port: 11212, priority: 10, weight: 0 },
          { name: 'c.local', port: 11213, priority: 10, weight: 65535 },
          { name: 'backup.local', port: 11211, priority: 20, weight: 1 },
        ],
      }),
      '_memcache._tcp.local',
    );
    expect(reply).toEqual({
      ok: true,
      servers: [
        { id: 'a.local:11212', weight: 1 },
        { id: 'b.local:11211', weight: 5 },
        { id: 'c.local:11213', weight: 1000 },
      ],
    });
  });

  it('does not read a record that is no server as a list', async () => {
    const reply = await resolveSrvServers(
      resolver({ srv: [{ name: 'a.local', port: 0, priority: 0, weight: 1 }] }),
      's',
    );
    expect(reply).toEqual({ ok: false, reason: 'DNS answered "a.local:0", which is not a server address' });
  });

  it('fails on no record', async () => {
    await expect(resolveSrvServers(resolver({ srv: [] }), '_m._tcp.local')).rejects.toThrow('no SRV record');
  });
});
