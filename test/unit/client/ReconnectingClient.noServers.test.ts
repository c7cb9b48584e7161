import { describe, expect, test } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { ClientClosedError, ConnectionDownError } from '../../../src/core/errors';
import { FakeMemcached } from '../../support/FakeMemcached';

// A resolver that never answers: discovery's first list never comes.
const silent = () => new Promise<never>(() => {});
const resolver = { resolve4: silent, resolve6: silent, resolveSrv: silent };

describe('a client with discovery and no servers yet', () => {
  function setup() {
    const fake = new FakeMemcached();
    const cache = createClientWithPort(
      { discovery: { dns: 'cache.local:11211', resolver }, clock: new SimulatedClock() },
      fake.factory,
    );
    return { cache, fake };
  }

  test('answers every call not-ok at once, opening no connection', async () => {
    const { cache, fake } = setup();
    expect(await cache.get('k')).toEqual({ ok: false, reason: 'reconnecting' });
    expect(await cache.set({ key: 'k', value: 'v' })).toBe(false);
    expect(await cache.getMulti(['a', 'b'])).toMatchObject({ ok: false, reason: 'reconnecting' });
    expect(await cache.delete('k')).toBe(false);
    await expect(cache.ping()).rejects.toBeInstanceOf(ConnectionDownError);
    await expect(cache.version()).rejects.toThrow(/no servers yet/);
    expect(fake.ports).toHaveLength(0);
    expect(cache.state).toBe('reconnecting');
    expect(cache.connectionAvailable()).toBe(false);
    expect(cache.connectionAvailable('k')).toBe(false);
    expect(cache.servers()).toEqual([]);
    await cache.close();
  });

  test('answers closed after close()', async () => {
    const { cache } = setup();
    await cache.close();
    expect(await cache.get('k')).toEqual({ ok: false, reason: 'closed' });
    await expect(cache.ping()).rejects.toBeInstanceOf(ClientClosedError);
    expect(cache.state).toBe('closed');
  });

  test('works once setServers gives it a list', async () => {
    const { cache, fake } = setup();
    cache.setServers(['fake:11211']);
    expect(await cache.set({ key: 'k', value: 'v' })).toBe(true);
    expect(fake.ports).toHaveLength(1);
    await cache.close();
  });
});
