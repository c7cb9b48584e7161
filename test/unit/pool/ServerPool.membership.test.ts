import { describe, expect, it } from 'vitest';
import { ClientClosedError, InvalidOptionError } from '../../../src/core/errors';
import { IDS, keysOn, clusterClient as setup } from '../../support/clusterClient';

describe('a cluster over fake servers: setServers', () => {
  it('kept servers keep their connection and state, new ones start, removed ones are closed', async () => {
    const t = setup({ allowed: 3 });
    t.cluster.server('a:11211').mode = 'refusing';
    await t.cache.get(keysOn('a:11211', 1)[0]!);
    t.cluster.server('a:11211').mode = 'up';
    const keptActor = t.cache.connectionActor('a:11211');
    const keptPort = t.cluster.server('a:11211').ports[0];
    const removedPort = t.cluster.server('c:11211').ports[0];

    t.cache.setServers(['a:11211', 'b:11211', 'd:11211']);
    expect(t.cache.connectionActor('a:11211')).toBe(keptActor);
    expect(t.cache.servers().map((s) => [s.server, s.state, s.failures])).toEqual([
      ['a:11211', 'degraded', 1],
      ['b:11211', 'connected', 0],
      ['d:11211', 'connected', 0],
    ]);
    expect(keptPort?.closed).toBe(false);
    expect(t.cluster.server('a:11211').ports.length).toBe(1);
    expect(removedPort?.closed).toBe(true);
    expect(t.changes.at(-1)).toMatchObject({ server: 'c:11211', previous: 'connected', state: 'closed' });
    expect(t.cache.actor.getSnapshot().context.servers.map((s) => s.id)).toEqual(['a:11211', 'b:11211', 'd:11211']);

    const next = ['a:11211', 'b:11211', 'd:11211'];
    for (const key of keysOn('d:11211', 3, next)) expect(await t.cache.set({ key, value: 'v' })).toBe(true);
    expect(t.cluster.server('d:11211').store.size).toBe(3);
    expect(() => t.cache.connectionActor('c:11211')).toThrow(RangeError);
  });

  it('a call in flight on a removed server settles as closed; others are untouched', async () => {
    const t = setup();
    t.cluster.server('c:11211').mode = 'manual';
    t.cluster.server('a:11211').mode = 'manual';
    const onRemoved = t.cache.get(keysOn('c:11211', 1)[0]!);
    const onKept = t.cache.get(keysOn('a:11211', 1)[0]!);
    t.cache.setServers(['a:11211', 'b:11211']);
    expect(await onRemoved).toEqual({ ok: false, reason: 'closed' });
    t.cluster.server('a:11211').settleNext({ value: undefined });
    expect(await onKept).toEqual({ ok: true, item: undefined });
    expect(t.cache.state).toBe('connected');
  });

  it('a kept server whose credentials changed gets a fresh connection', () => {
    const t = setup({ servers: ['u:old@a:11211', 'b:11211'] });
    const old = t.cache.connectionActor('a:11211');
    t.cache.setServers(['u:new@a:11211', 'b:11211']);
    expect(t.cache.connectionActor('a:11211')).not.toBe(old);
    expect(t.cluster.server('a:11211').ports.map((p) => p.closed)).toEqual([true, false]);
    expect(t.cache.servers().map((s) => s.state)).toEqual(['connected', 'connected']);
  });

  it('refuses a bad list with InvalidOptionError and changes nothing; throws after close', async () => {
    const t = setup();
    for (const bad of [[], ['a:11211', 'a:11211'], [{ address: 'x:1', weight: 0 }], 'a:99999', [42]]) {
      expect(() => t.cache.setServers(bad as never)).toThrow(InvalidOptionError);
    }
    expect(t.cache.servers().map((s) => s.server)).toEqual(IDS);
    await t.cache.close();
    expect(() => t.cache.setServers(['a:11211'])).toThrow(ClientClosedError);
  });
});
