import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { Client, StateChange } from '../../../src/api/Client';
import { createClientWithPort } from '../../../src/client/createClient';
import type { ServerAddress } from '../../../src/config/parseServers';
import {
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidItemError,
  InvalidKeyError,
  InvalidValueError,
  ServerError,
  TimeoutError,
} from '../../../src/core/errors';
import { FakeMemcached, type FakePort, refusedError } from '../../support/FakeMemcached';

const TIMEOUT = 100;

function setup(options: { allowed?: number; random?: number } = {}) {
  const fake = new FakeMemcached();
  const clock = new SimulatedClock();
  const cache = createClientWithPort(
    {
      servers: 'fake:11211',
      timeoutMs: TIMEOUT,
      allowedFailuresBeforeHealing: options.allowed ?? 3,
      recoveryDelayMs: 1000,
      maxRecoveryDelayMs: 8000,
      clock,
    },
    fake.factory,
    { random: () => options.random ?? 0 },
  );
  const changes: StateChange[] = [];
  cache.subscribe((change) => changes.push(change));
  return { fake, clock, cache, changes };
}

/** Fails `n` calls at the socket. */
async function failCalls(fake: FakeMemcached, cache: Client, n: number) {
  const mode = fake.mode;
  fake.mode = 'refusing';
  for (let i = 0; i < n; i++) await cache.get('k');
  fake.mode = mode;
}

/** Lets the probe's promise settle: it runs in microtasks after the delayed event fires. */
async function heal(t: ReturnType<typeof setup>) {
  t.clock.increment(t.cache.connectionActor().getSnapshot().context.nextDelayMs);
  for (let i = 0; i < 10 && t.cache.state === 'reconnecting'; i++) await Promise.resolve();
}

describe('Client over a fake port: the healthy path', () => {
  it('stores, reads, multi-reads and deletes', async () => {
    const { cache } = setup();
    expect(await cache.set({ key: 'a', value: 'x', flags: 3, expiration: 10 })).toBe(true);
    expect(await cache.get('a')).toEqual({ ok: true, item: { key: 'a', value: Buffer.from('x'), flags: 3 } });
    const multi = await cache.getMulti(['a', 'b']);
    expect(multi.ok && [...multi.items.keys()]).toEqual(['a']);
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.get('a')).toEqual({ ok: true, item: undefined });
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(cache.state).toBe('connected');
    expect(cache.connectionAvailable()).toBe(true);
  });

  it('set(null) and set(undefined) are trivially true and do no I/O', async () => {
    const { cache, fake } = setup();
    expect(await cache.set(null)).toBe(true);
    expect(await cache.set(undefined)).toBe(true);
    expect(fake.calls).toEqual([]);
  });

  it('a miss is a success: it resets the failure count', async () => {
    const { cache, fake } = setup({ allowed: 3 });
    await failCalls(fake, cache, 2);
    expect(cache.state).toBe('degraded');
    expect(await cache.get('nope')).toEqual({ ok: true, item: undefined });
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
  });
});

describe('Client over a fake port: bad input', () => {
  const bad: Array<[string, (c: Client) => Promise<unknown>, new (...args: never[]) => Error, string]> = [
    ['get with an empty key', (c) => c.get(''), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['get with a 251-byte key', (c) => c.get('k'.repeat(251)), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['get with a space', (c) => c.get('a b'), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['get with a number', (c) => c.get(42 as never), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['getMulti with a non-array', (c) => c.getMulti('a' as never), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['getMulti with one bad key', (c) => c.getMulti(['a', '\n']), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['delete with a control char', (c) => c.delete('a\u0001'), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['set with a bad key', (c) => c.set({ key: '', value: 'v' }), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['set with a number value', (c) => c.set({ key: 'k', value: 5 as never }), InvalidValueError, 'ERR_INVALID_VALUE'],
    [
      'set with a negative expiration',
      (c) => c.set({ key: 'k', value: 'v', expiration: -1 }),
      InvalidExpirationError,
      'ERR_INVALID_EXPIRATION',
    ],
    [
      'set with fractional flags',
      (c) => c.set({ key: 'k', value: 'v', flags: 0.5 }),
      InvalidFlagsError,
      'ERR_INVALID_FLAGS',
    ],
    ['set with a string item', (c) => c.set('k' as never), InvalidItemError, 'ERR_INVALID_ITEM'],
    ['set with an array item', (c) => c.set([] as never), InvalidItemError, 'ERR_INVALID_ITEM'],
  ];

  it.each(bad)('%s rejects with a typed error, does no I/O and counts nothing', async (_, call, type, code) => {
    const { cache, fake, changes } = setup({ allowed: 1 });
    const error = await call(cache).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as { code: string }).code).toBe(code);
    expect(fake.calls).toEqual([]);
    expect(cache.state).toBe('connected');
    expect(changes).toEqual([]);
  });
});

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
