import { describe, expect, test } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { FakeMemcached } from '../../support/FakeMemcached';

const noRecords = () => Promise.reject(Object.assign(new Error('no AAAA'), { code: 'ENODATA' }));
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('discovery over a resolver of its own, on a simulated clock', () => {
  test('a setServers of your own stays until discovery applies its next change', async () => {
    let records = ['10.0.0.1'];
    const resolver = { resolve4: async () => records, resolve6: noRecords, resolveSrv: noRecords };
    const clock = new SimulatedClock();
    const cache = createClientWithPort(
      { clock, discovery: { dns: 'cache.local:11211', intervalMs: 1_000, resolver } },
      new FakeMemcached().factory,
      { random: () => 0 },
    );
    const ids = () => cache.servers().map((s) => s.server);
    await settle();
    expect(ids()).toEqual(['10.0.0.1:11211']);

    cache.setServers(['mine:11211']);
    // Jitter 0: the next poll is due at 0.9 of the interval. It answers the list discovery applied last.
    clock.increment(900);
    await settle();
    expect(ids()).toEqual(['mine:11211']);

    records = ['10.0.0.2'];
    clock.increment(900);
    await settle();
    expect(ids()).toEqual(['10.0.0.2:11211']);
    await cache.close();
  });
});
