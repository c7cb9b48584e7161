import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { ClientClosedError } from '../../../src/core/errors';
import { FakeMemcached, refusedError } from '../../support/FakeMemcached';
import { failCalls, setupFakeClient as setup } from '../../support/fakeClient';

describe('Client over a fake port: subscribe and close', () => {
  it('reports each state change once, with counts; unsubscribe stops it; a throwing listener is contained', async () => {
    const errors: unknown[] = [];
    const fake = new FakeMemcached();
    const cache = createClientWithPort(
      {
        servers: 'f',
        allowedFailuresBeforeHealing: 2,
        clock: new SimulatedClock(),
        logger: { error: (...a) => errors.push(a), warn() {}, info() {}, debug() {} },
      },
      fake.factory,
    );
    const seen: string[] = [];
    cache.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = cache.subscribe((c) => seen.push(`${c.state}:${c.failures}`));
    await failCalls(fake, cache, 1);
    unsubscribe();
    await failCalls(fake, cache, 1);
    expect(seen).toEqual(['degraded:1']);
    expect(cache.state).toBe('reconnecting');
    expect(errors.length).toBe(2);
  });

  it('close() settles calls in flight as closed, closes every port, and is idempotent', async () => {
    const { cache, fake, clock, changes } = setup();
    fake.mode = 'manual';
    const inFlight = [cache.get('a'), cache.set({ key: 'b', value: 'v' }), cache.ping()] as const;
    await cache.close();
    await cache.close();
    const [get, set, ping] = await Promise.allSettled(inFlight);
    expect(get).toEqual({ status: 'fulfilled', value: { ok: false, reason: 'closed' } });
    expect(set).toEqual({ status: 'fulfilled', value: false });
    expect(ping.status === 'rejected' && ping.reason).toBeInstanceOf(ClientClosedError);
    expect(fake.openPorts).toBe(0);
    expect(cache.state).toBe('closed');
    expect(cache.connectionAvailable()).toBe(false);
    expect(await cache.get('a')).toEqual({ ok: false, reason: 'closed' });
    expect(changes.at(-1)).toMatchObject({ previous: 'connected', state: 'closed' });
    clock.increment(1_000_000);
    expect(fake.ports.length).toBe(1); // no probe after close
  });

  it('close() during a probe stops it and closes the candidate', async () => {
    const t = setup({ allowed: 1 });
    await failCalls(t.fake, t.cache, 1);
    t.fake.mode = 'manual';
    t.clock.increment(t.cache.connectionActor().getSnapshot().context.nextDelayMs);
    expect(t.cache.connectionActor().getSnapshot().matches({ reconnecting: 'probing' })).toBe(true);
    await t.cache.close();
    expect(t.fake.openPorts).toBe(0);
    expect(t.cache.state).toBe('closed');
  });

  it('supports await using', async () => {
    const fake = new FakeMemcached();
    let closedPort = false;
    {
      await using cache = createClientWithPort({ servers: 'f', clock: new SimulatedClock() }, fake.factory);
      expect(await cache.set({ key: 'k', value: 'v' })).toBe(true);
    }
    closedPort = fake.ports.every((p) => p.closed);
    expect(closedPort).toBe(true);
  });

  it('a port that throws synchronously is a not-ok answer, not a crash', async () => {
    const fake = new FakeMemcached();
    const cache = createClientWithPort({ servers: 'f', clock: new SimulatedClock() }, (server) => {
      const port = fake.factory(server);
      port.get = () => {
        throw refusedError();
      };
      return port;
    });
    expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'connection' });
  });
});
