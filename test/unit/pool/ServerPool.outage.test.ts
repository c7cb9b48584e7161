import { describe, expect, it } from 'vitest';
import { ConnectionDownError, PingError, TimeoutError } from '../../../src/core/errors';
import { bringDown, IDS, keysOn, clusterClient as setup, TIMEOUT } from '../../support/clusterClient';

/** Lets the fakes' answers (microtasks) arrive, e.g. before moving the clock to a deadline. */
async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

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
