import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { StateChange } from '../../../src/api/Client';
import { createClientWithPort } from '../../../src/client/createClient';
import { parseServers } from '../../../src/config/parseServers';
import {
  ClientClosedError,
  ConnectionDownError,
  InvalidOptionError,
  PingError,
  TimeoutError,
} from '../../../src/core/errors';
import { createDistribution } from '../../../src/distribution/createDistribution';
import type { DistributionName } from '../../../src/distribution/Distribution';
import { FakeCluster } from '../../support/FakeMemcached';

const TIMEOUT = 100;
const IDS = ['a:11211', 'b:11211', 'c:11211'];

function setup(options: { servers?: string[]; distribution?: DistributionName; allowed?: number } = {}) {
  const cluster = new FakeCluster();
  const clock = new SimulatedClock();
  const servers = options.servers ?? IDS;
  const cache = createClientWithPort(
    {
      servers,
      distribution: options.distribution,
      timeoutMs: TIMEOUT,
      allowedFailuresBeforeHealing: options.allowed ?? 2,
      recoveryDelayMs: 1000,
      maxRecoveryDelayMs: 8000,
      clock,
    },
    cluster.factory,
    { random: () => 0 },
  );
  const changes: StateChange[] = [];
  cache.subscribe((change) => changes.push(change));
  return { cluster, clock, cache, changes };
}

/** `count` keys that `distribution` puts on `id`, computed from the pure picker, not the client. */
function keysOn(id: string, count: number, servers = IDS, distribution: DistributionName = 'ketama'): string[] {
  const list = parseServers(servers);
  const pick = createDistribution(
    distribution,
    list.map((s) => ({ host: s.host, port: s.port, weight: s.weight ?? 1 })),
  );
  const index = servers.indexOf(id);
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) if (pick(`key:${i}`) === index) keys.push(`key:${i}`);
  return keys;
}

/** Takes server `id` down: its calls fail at the socket until the limit is reached. */
async function bringDown(t: ReturnType<typeof setup>, id: string) {
  t.cluster.server(id).mode = 'refusing';
  const key = keysOn(id, 1)[0]!;
  while (t.cache.servers().find((s) => s.server === id)?.state !== 'reconnecting') await t.cache.get(key);
}

/** Lets the fakes' answers (microtasks) arrive, e.g. before moving the clock to a deadline. */
async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

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

describe('a cluster over fake servers: one server down', () => {
  it('only the dead server’s keys answer not-ok, without I/O once it is reconnecting', async () => {
    const t = setup();
    await bringDown(t, 'b:11211');
    const dead = t.cluster.server('b:11211');
    const before = dead.calls.length;
    for (const key of keysOn('b:11211', 5)) {
      expect(await t.cache.get(key)).toEqual({ ok: false, reason: 'reconnecting' });
      expect(await t.cache.set({ key, value: 'v' })).toBe(false);
      expect(await t.cache.delete(key)).toBe(false);
    }
    expect(dead.calls.length).toBe(before);
    for (const id of ['a:11211', 'c:11211']) {
      for (const key of keysOn(id, 5)) {
        expect(await t.cache.set({ key, value: id })).toBe(true);
        expect(await t.cache.get(key)).toMatchObject({ ok: true, item: { value: Buffer.from(id) } });
      }
    }
    expect(t.cache.servers().map((s) => s.state)).toEqual(['connected', 'reconnecting', 'connected']);
    expect(t.cache.state).toBe('reconnecting');
  });

  it('connectionAvailable() is false while any server heals; connectionAvailable(key) answers for the key’s server', async () => {
    const t = setup();
    expect(t.cache.connectionAvailable()).toBe(true);
    await bringDown(t, 'c:11211');
    expect(t.cache.connectionAvailable()).toBe(false);
    expect(t.cache.connectionAvailable(keysOn('c:11211', 1)[0])).toBe(false);
    expect(t.cache.connectionAvailable(keysOn('a:11211', 1)[0])).toBe(true);
    expect(() => t.cache.connectionAvailable('bad key')).toThrow(/whitespace/);
  });

  it('getMulti asks every healthy server and lists the dead one’s keys as unavailable', async () => {
    const t = setup();
    const onA = keysOn('a:11211', 3);
    const onB = keysOn('b:11211', 3);
    const onC = keysOn('c:11211', 3);
    for (const key of [...onA, ...onB, ...onC]) await t.cache.set({ key, value: key });
    await bringDown(t, 'b:11211');
    const result = await t.cache.getMulti([...onA, ...onB, ...onC, 'missing']);
    if (!result.ok) throw new Error(`not ok: ${result.reason}`);
    expect([...result.items.keys()].sort()).toEqual([...onA, ...onC].sort());
    expect([...result.unavailable].sort()).toEqual([...onB].sort());
  });

  it('getMulti: a server that hangs costs only its keys, at the deadline', async () => {
    const t = setup();
    const onA = keysOn('a:11211', 2);
    const onC = keysOn('c:11211', 2);
    for (const key of [...onA, ...onC]) await t.cache.set({ key, value: key });
    t.cluster.server('c:11211').mode = 'blackhole';
    const pending = t.cache.getMulti([...onA, ...onC]);
    await flush();
    t.clock.increment(TIMEOUT);
    const result = await pending;
    expect(result).toMatchObject({ ok: true, unavailable: onC });
    expect(result.ok && [...result.items.keys()].sort()).toEqual([...onA].sort());
    expect(t.cache.servers()[2]).toMatchObject({ state: 'degraded', failures: 1 });
  });

  it('getMulti is not-ok only when no server answered; with no keys it asks nobody', async () => {
    const t = setup();
    for (const id of IDS) await bringDown(t, id);
    expect(await t.cache.getMulti(keysOn('a:11211', 2).concat(keysOn('c:11211', 2)))).toEqual({
      ok: false,
      reason: 'reconnecting',
    });
    expect(await t.cache.getMulti([])).toEqual({ ok: true, items: new Map(), unavailable: [] });
  });

  it('ping() names each server that failed, with its own error', async () => {
    const t = setup();
    await expect(t.cache.ping()).resolves.toBeUndefined();
    await bringDown(t, 'b:11211');
    t.cluster.server('c:11211').mode = 'blackhole';
    const ping = t.cache.ping();
    await flush();
    t.clock.increment(TIMEOUT);
    const error = await ping.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(PingError);
    const failures = (error as PingError).failures;
    expect([...failures.keys()]).toEqual(['b:11211', 'c:11211']);
    expect(failures.get('b:11211')).toBeInstanceOf(ConnectionDownError);
    expect((failures.get('b:11211') as ConnectionDownError).server).toBe('b:11211');
    expect(failures.get('c:11211')).toBeInstanceOf(TimeoutError);
    expect((error as PingError).message).toBe(
      'memcached ping failed on 2 of 3 servers: b:11211 (ERR_CONNECTION_DOWN), c:11211 (ERR_TIMEOUT)',
    );
    expect((error as PingError).code).toBe('ERR_PING');
  });

  it('each server heals alone on its own schedule, and says which one in subscribe and servers()', async () => {
    const t = setup();
    await bringDown(t, 'a:11211');
    const aDue = t.cache.servers()[0]!.nextProbeAt!;
    expect(aDue).toBe(t.clock.now() + 1000); // random pinned to 0: the wait is exactly d
    t.clock.increment(400);
    await bringDown(t, 'c:11211');
    expect(t.cache.servers()[2]!.nextProbeAt).toBe(t.clock.now() + 1000);
    expect(t.cache.servers()[1]).toMatchObject({ server: 'b:11211', state: 'connected', nextProbeAt: undefined });

    t.cluster.server('a:11211').mode = 'up';
    t.clock.increment(aDue - t.clock.now());
    await flush();
    expect(t.cache.servers().map((s) => s.state)).toEqual(['connected', 'connected', 'reconnecting']);
    expect(t.cache.servers()[0]).toMatchObject({ failures: 0, attempt: 0, nextProbeAt: undefined });

    // c's probe fails (still refusing): its next wait doubles, on its own clock.
    t.clock.increment(400);
    await flush();
    expect(t.cache.servers()[2]).toMatchObject({
      state: 'reconnecting',
      attempt: 1,
      nextProbeAt: t.clock.now() + 2000,
    });

    expect(t.changes.map((c) => `${c.server} ${c.previous}->${c.state}`)).toEqual([
      'a:11211 connected->degraded',
      'a:11211 degraded->reconnecting',
      'c:11211 connected->degraded',
      'c:11211 degraded->reconnecting',
      'a:11211 reconnecting->connected',
    ]);
  });
});

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

describe('a cluster over fake servers: the actors and close', () => {
  it('the pool actor holds one connection actor per server', () => {
    const t = setup();
    expect(Object.keys(t.cache.actor.getSnapshot().children)).toEqual(IDS);
    expect(t.cache.connectionActor('b')).toBe(t.cache.actor.getSnapshot().children['b:11211']);
    expect(() => t.cache.connectionActor()).toThrow(TypeError);
  });

  it('close() closes every server, reports each, and settles calls in flight as closed', async () => {
    const t = setup();
    for (const id of IDS) t.cluster.server(id).mode = 'manual';
    const inFlight = IDS.map((id) => t.cache.get(keysOn(id, 1)[0]!));
    await t.cache.close();
    expect(await Promise.all(inFlight)).toEqual(IDS.map(() => ({ ok: false, reason: 'closed' })));
    expect(IDS.every((id) => t.cluster.server(id).openPorts === 0)).toBe(true);
    expect(t.changes.map((c) => `${c.server} ${c.state}`)).toEqual(IDS.map((id) => `${id} closed`));
    expect(t.cache.state).toBe('closed');
    expect(t.cache.connectionAvailable()).toBe(false);
    await expect(t.cache.ping()).rejects.toBeInstanceOf(ClientClosedError);
    t.clock.increment(1_000_000);
    expect(IDS.every((id) => t.cluster.server(id).ports.length === 1)).toBe(true);
  });
});
