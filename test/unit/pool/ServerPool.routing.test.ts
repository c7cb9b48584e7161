import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { IDS, keysOn, clusterClient as setup } from '../../support/clusterClient';
import { FakeCluster } from '../../support/FakeMemcached';

describe('a cluster over fake servers: routing', () => {
  it.each(['ketama', 'modula', 'memjs'] as const)(
    '%s: each key is stored on the server the distribution picks',
    async (distribution) => {
      const t = setup({ distribution });
      for (const id of IDS) {
        for (const key of keysOn(id, 5, IDS, distribution)) {
          expect(await t.cache.set({ key, value: id })).toBe(true);
          expect(t.cluster.server(id).store.get(key)?.value.toString()).toBe(id);
        }
      }
      for (const id of IDS) expect(t.cluster.server(id).store.size).toBe(5);
    },
  );

  it('weights reach the distribution and servers()', async () => {
    const cluster = new FakeCluster();
    const cache = createClientWithPort(
      { servers: ['a:11211', { address: 'b:11211', weight: 3 }], clock: new SimulatedClock() },
      cluster.factory,
    );
    expect(cache.servers().map((s) => s.weight)).toEqual([1, 3]);
    const keys = Array.from({ length: 400 }, (_, i) => `w:${i}`);
    await Promise.all(keys.map((key) => cache.set({ key, value: 'v' })));
    const heavy = cluster.server('b:11211').store.size;
    expect(heavy / keys.length).toBeGreaterThan(0.65);
    expect(heavy / keys.length).toBeLessThan(0.85);
  });

  it('setServers with a changed weight: keys and servers() follow it, and the connection is kept', async () => {
    const cluster = new FakeCluster();
    const cache = createClientWithPort(
      { servers: ['a:11211', { address: 'b:11211', weight: 3 }], clock: new SimulatedClock() },
      cluster.factory,
    );
    const actor = cache.connectionActor('b:11211');
    cache.setServers(['a:11211', { address: 'b:11211', weight: 1 }]);
    expect(cache.servers().map((s) => s.weight)).toEqual([1, 1]);
    expect(cache.connectionActor('b:11211')).toBe(actor);
    const keys = Array.from({ length: 400 }, (_, i) => `w:${i}`);
    await Promise.all(keys.map((key) => cache.set({ key, value: 'v' })));
    const share = cluster.server('b:11211').store.size / keys.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    cache.setServers([{ address: 'a:11211', weight: 4 }, 'b:11211']);
    expect(cache.servers().map((s) => s.weight)).toEqual([4, 1]);
  });

  it('one server: no hashing, the same answers as before (getMulti gains an empty unavailable)', async () => {
    const t = setup({ servers: ['solo:11211'] });
    expect(await t.cache.set({ key: 'k', value: 'v' })).toBe(true);
    const multi = await t.cache.getMulti(['k', 'missing']);
    expect(multi).toEqual({
      ok: true,
      items: new Map([['k', { key: 'k', value: Buffer.from('v'), flags: 0 }]]),
      unavailable: [],
    });
    expect(t.cache.connectionActor().id).toBe('solo:11211');
  });
});
