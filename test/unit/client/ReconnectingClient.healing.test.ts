import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import type { ServerAddress } from '../../../src/config/parseServers';
import { ConnectionDownError, ConnectionError, ServerError, TimeoutError } from '../../../src/core/errors';
import { FakeMemcached, type FakePort } from '../../support/FakeMemcached';
import { failCalls, heal, setupFakeClient as setup, TIMEOUT } from '../../support/fakeClient';

describe('Client over a fake port: failures and healing', () => {
  it('counts only connection failures; a server refusal is not-ok but never counts', async () => {
    const { cache, fake } = setup({ allowed: 1 });
    fake.mode = 'serverError';
    expect(await cache.set({ key: 'k', value: 'v' })).toBe(false);
    const got = await cache.get('k');
    expect(got).toMatchObject({ ok: false, reason: 'server' });
    expect(!got.ok && got.error).toBeInstanceOf(ServerError);
    await expect(cache.ping()).rejects.toBeInstanceOf(ServerError);
    expect(cache.state).toBe('connected');

    fake.mode = 'refusing';
    const failed = await cache.get('k');
    expect(failed).toMatchObject({ ok: false, reason: 'connection' });
    expect(!failed.ok && failed.error).toBeInstanceOf(ConnectionError);
    expect(!failed.ok && (failed.error?.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
    expect(cache.state).toBe('reconnecting');
  });

  it('a call that hangs settles as timeout at the deadline and counts', async () => {
    const { cache, fake, clock } = setup({ allowed: 2 });
    fake.mode = 'blackhole';
    const pending = [cache.get('a'), cache.set({ key: 'b', value: 'v' }), cache.getMulti(['c'])] as const;
    clock.increment(TIMEOUT - 1);
    expect(cache.state).toBe('connected');
    clock.increment(1);
    const [get, set, multi] = await Promise.all(pending);
    expect(get).toMatchObject({ ok: false, reason: 'timeout' });
    expect(!get.ok && get.error).toBeInstanceOf(TimeoutError);
    expect(set).toBe(false);
    expect(multi).toMatchObject({ ok: false, reason: 'timeout' });
    expect(cache.state).toBe('reconnecting');
  });

  it('while reconnecting every call answers at once without reaching the port', async () => {
    const { cache, fake } = setup({ allowed: 1 });
    await failCalls(fake, cache, 1);
    const before = fake.calls.length;
    expect(await cache.get('a')).toEqual({ ok: false, reason: 'reconnecting' });
    expect(await cache.getMulti(['a'])).toEqual({ ok: false, reason: 'reconnecting' });
    expect(await cache.set({ key: 'a', value: 'v' })).toBe(false);
    expect(await cache.delete('a')).toBe(false);
    await expect(cache.ping()).rejects.toBeInstanceOf(ConnectionDownError);
    expect(fake.calls.length).toBe(before);
    expect(cache.connectionAvailable()).toBe(false);
    // The dropped connection was closed, not leaked (a defect of the Go original).
    expect(fake.ports[0]?.closed).toBe(true);
  });

  it('heals by itself after the delay: a fresh port is pinged, then used', async () => {
    const t = setup({ allowed: 1 });
    await failCalls(t.fake, t.cache, 1);
    t.fake.mode = 'refusing';
    await heal(t);
    expect(t.cache.state).toBe('reconnecting');
    expect(t.fake.ports.length).toBe(2);
    expect(t.fake.ports[1]?.closed).toBe(true); // the failed candidate is closed
    expect(t.cache.connectionActor().getSnapshot().context.attempt).toBe(1);

    t.fake.mode = 'up';
    await heal(t);
    expect(t.cache.state).toBe('connected');
    expect(t.fake.openPorts).toBe(1);
    expect(t.changes.map((c) => `${c.previous}->${c.state}`)).toEqual([
      'connected->reconnecting',
      'reconnecting->connected',
    ]);
    expect(t.changes[1]).toMatchObject({ failures: 0, attempt: 0 });
    expect(await t.cache.set({ key: 'after', value: 'heal' })).toBe(true);
    expect(t.fake.store.has('after')).toBe(true);
  });

  it('a late failure from the old connection cannot trip the healed one', async () => {
    const t = setup({ allowed: 2 });
    t.fake.mode = 'manual';
    const late = t.cache.get('slow'); // started on connection 0, held
    t.fake.mode = 'refusing';
    await t.cache.get('a');
    await t.cache.get('b');
    expect(t.cache.state).toBe('reconnecting');
    t.fake.mode = 'up';
    await heal(t);
    expect(t.cache.state).toBe('connected');
    // The held call was failed when its connection was closed; its failure must not count now.
    expect(await late).toMatchObject({ ok: false, reason: 'connection' });
    expect(t.cache.state).toBe('connected');
    expect(t.cache.connectionActor().getSnapshot().context.failures).toBe(0);
  });

  it('a late failure from the old connection, delivered by the deadline, cannot trip the healed one', async () => {
    const fake = new FakeMemcached();
    const clock = new SimulatedClock();
    // A port whose close() does not fail held calls: only the deadline settles them.
    const factory = (server: ServerAddress) => {
      const port = fake.factory(server) as FakePort;
      port.close = () => {
        port.closed = true;
      };
      return port;
    };
    const cache = createClientWithPort(
      { servers: 'f', timeoutMs: TIMEOUT, allowedFailuresBeforeHealing: 1, recoveryDelayMs: 10, clock },
      factory,
      { random: () => 0 },
    );
    fake.mode = 'blackhole';
    const late = cache.get('slow');
    fake.mode = 'refusing';
    await cache.get('a');
    fake.mode = 'up';
    clock.increment(10);
    for (let i = 0; i < 10 && cache.state !== 'connected'; i++) await Promise.resolve();
    expect(cache.state).toBe('connected');
    clock.increment(TIMEOUT);
    expect(await late).toMatchObject({ ok: false, reason: 'timeout' });
    expect(cache.state).toBe('connected');
  });
});
