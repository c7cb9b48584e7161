import { afterEach, describe, expect, it } from 'vitest';
import type { Client, StateChange } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startBlackHole, startMemcached } from '../../src/testing/memcached';
import { waitForState } from '../support/waitForState';

// Real memcached processes on loopback; short delays so healing happens within the test.
// A deadline a loaded machine meets (these calls are answered or refused); the test of deadlines sets its own.
const FAST = { timeoutMs: 1_000, allowedFailuresBeforeHealing: 3, recoveryDelayMs: 50, maxRecoveryDelayMs: 100 };

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function memcached(port?: number): Promise<MemcachedProcess> {
  const server = await startMemcached(port === undefined ? {} : { port });
  cleanup.push(() => server.stop());
  return server;
}

function client(servers: string, options: Partial<typeof FAST> = {}): Client {
  const cache = createClient({ servers, ...FAST, ...options });
  cleanup.push(() => cache.close());
  return cache;
}

describe('against a real memcached', () => {
  it('round-trips get, set, getMulti and delete with binary values and flags', async () => {
    const server = await memcached();
    const cache = client(server.address);
    const binary = Buffer.from([0, 1, 2, 254, 255, 0, 10, 13]);
    expect(await cache.set({ key: 'bin', value: binary, flags: 0xdeadbeef })).toBe(true);
    expect(await cache.set({ key: 'text', value: 'héllo', expiration: 60 })).toBe(true);

    const got = await cache.get('bin');
    expect(got).toEqual({ ok: true, item: { key: 'bin', value: binary, flags: 0xdeadbeef } });
    expect(await cache.get('missing')).toEqual({ ok: true, item: undefined });

    const many = await cache.getMulti(['bin', 'text', 'missing']);
    if (!many.ok) throw new Error(`getMulti not ok: ${many.reason}`);
    expect([...many.items.keys()].sort()).toEqual(['bin', 'text']);
    expect(many.items.get('text')?.value.toString('utf8')).toBe('héllo');

    expect(await cache.delete('bin')).toBe(true);
    expect(await cache.delete('bin')).toBe(true); // not found is still an answer
    expect(await cache.get('bin')).toEqual({ ok: true, item: undefined });
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(cache.state).toBe('connected');
  });

  it('getMulti of 1000 keys comes back whole in one pipelined round', async () => {
    const server = await memcached();
    const cache = client(server.address, { timeoutMs: 2000 });
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    await Promise.all(keys.filter((_, i) => i % 2 === 0).map((key) => cache.set({ key, value: `v-${key}` })));
    const result = await cache.getMulti(keys);
    if (!result.ok) throw new Error(`not ok: ${result.reason}`);
    expect(result.items.size).toBe(500);
    expect(result.items.get('k998')?.value.toString()).toBe('v-k998');
  });

  it('a refused value (too large) is a not-ok answer that never counts as an outage', async () => {
    const server = await memcached();
    const cache = client(server.address, { allowedFailuresBeforeHealing: 1 });
    const huge = Buffer.alloc(2 * 1024 * 1024, 1); // memcached's default item limit is 1 MB
    expect(await cache.set({ key: 'huge', value: huge })).toBe(false);
    expect(cache.state).toBe('connected');
    expect(await cache.set({ key: 'small', value: 'ok' })).toBe(true);
  });

  it('goes not-ok when memcached is killed, answers without I/O while reconnecting, heals by itself after a restart', async () => {
    const server = await memcached();
    const cache = client(server.address);
    const changes: StateChange[] = [];
    cache.subscribe((change) => changes.push(change));
    expect(await cache.set({ key: 'a', value: '1' })).toBe(true);

    await server.stop('SIGKILL');
    const results = [];
    while (cache.state !== 'reconnecting') results.push(await cache.get('a'));
    expect(results.length).toBe(FAST.allowedFailuresBeforeHealing);
    expect(results.every((r) => !r.ok && r.reason === 'connection')).toBe(true);
    expect(cache.connectionAvailable()).toBe(false);

    const fast = await cache.get('a');
    expect(fast).toEqual({ ok: false, reason: 'reconnecting' });
    await expect(cache.ping()).rejects.toMatchObject({ code: 'ERR_CONNECTION_DOWN' });

    // Same port, empty cache: the client must find it without any call from us.
    await memcached(server.port);
    await waitForState(cache, 'connected');
    expect(changes.map((c) => c.state)).toEqual(['degraded', 'reconnecting', 'connected']);
    expect(await cache.set({ key: 'b', value: '2' })).toBe(true);
    expect((await cache.get('b')).ok).toBe(true);
  });

  it('against a listener that accepts and never answers, every call settles within the deadline', async () => {
    const hole = await startBlackHole();
    cleanup.push(() => hole.close());
    const cache = client(hole.address, {
      timeoutMs: 80,
      allowedFailuresBeforeHealing: 10,
      recoveryDelayMs: 60_000,
      maxRecoveryDelayMs: 60_000,
    });
    // The connection is open before the 20 calls: a connect that lands while their deadlines are
    // noticed late (a busy machine) tells them the caller, not the server, was slow, and by design
    // they would not count. One call opens it, and a turn of the event loop reads its connect.
    expect(await cache.get('x', { timeoutMs: 20 })).toMatchObject({ ok: false });
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const settled = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const t0 = performance.now();
        const result = await cache.get('x');
        return { result, ms: performance.now() - t0 };
      }),
    );
    // Not-ok as `timeout` (the deadline) or `connection`: memjs's own socket timeout has the same
    // length and may fire first, and the tenth failure starts healing, which closes the connection
    // under the calls whose deadline was not swept yet. Which wins is a matter of microseconds.
    expect(settled.every(({ result }) => !result.ok && ['timeout', 'connection'].includes(result.reason))).toBe(true);
    // The deadline is 80 ms; a generous slack for a loaded 2-core machine, but short of memjs's 1.2 s.
    expect(Math.max(...settled.map((s) => s.ms))).toBeLessThan(80 + 800);
    expect(performance.now() - started).toBeLessThan(80 + 800);
    // 20 concurrent timeouts on a silent, open connection reach the limit of 10 at once, however late
    // they are noticed.
    expect(cache.state).toBe('reconnecting');
  });

  it('heals through a proxy that refused, then passes again', async () => {
    const server = await memcached();
    const proxy = await FaultProxy.start({ port: server.port });
    cleanup.push(() => proxy.close());
    const cache = client(proxy.address, { allowedFailuresBeforeHealing: 1 });
    expect(await cache.set({ key: 'p', value: 'v' })).toBe(true);
    await proxy.setMode({ kind: 'refuse' });
    expect((await cache.get('p')).ok).toBe(false);
    expect(cache.state).toBe('reconnecting');
    await proxy.setMode({ kind: 'pass' });
    await waitForState(cache, 'connected');
    expect(await cache.get('p')).toMatchObject({ ok: true, item: { value: Buffer.from('v') } });
  });

  it('close() settles calls in flight as closed and leaves no socket open', async () => {
    const hole = await startBlackHole();
    cleanup.push(() => hole.close());
    const cache = createClient({ servers: hole.address, timeoutMs: 5000 });
    const inFlight = cache.get('x');
    await cache.close();
    await cache.close(); // idempotent
    expect(await inFlight).toEqual({ ok: false, reason: 'closed' });
    expect(await cache.get('x')).toEqual({ ok: false, reason: 'closed' });
    expect(cache.state).toBe('closed');
    await expect(cache.ping()).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
  });
});
