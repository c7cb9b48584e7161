import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// Per-call `timeoutMs` and `signal` in the engine, against a real memcached behind a proxy that
// delays every response chunk.
let server: MemcachedProcess;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startMemcached();
  proxy = await FaultProxy.start({ port: server.port });
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

describe('per-call options on a real memcached', () => {
  it('a longer timeoutMs than the client one gets an answer the client deadline would miss', async () => {
    const cache = createClient({ servers: proxy.address, timeoutMs: 100, allowedFailuresBeforeHealing: 1 });
    try {
      // Its own long deadline too: a first call also connects, which a loaded machine may not do in 100 ms.
      expect(await cache.set({ key: 'slow', value: 'v' }, { timeoutMs: 2_000 })).toBe(true);
      proxy.setMode({ kind: 'delay', ms: 250 });
      const got = await cache.get('slow', { timeoutMs: 2_000 });
      expect(got).toMatchObject({ ok: true, item: { value: Buffer.from('v') } });
      expect(cache.state).toBe('connected');
    } finally {
      proxy.setMode({ kind: 'pass' });
      await cache.close();
    }
  });

  it('a shorter timeoutMs answers `timeout` by its own deadline', async () => {
    const cache = createClient({ servers: proxy.address, timeoutMs: 5_000 });
    try {
      await cache.set({ key: 'slow', value: 'v' });
      proxy.setMode({ kind: 'delay', ms: 1_000 });
      const started = performance.now();
      expect(await cache.get('slow', { timeoutMs: 50 })).toMatchObject({ ok: false, reason: 'timeout' });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      proxy.setMode({ kind: 'pass' });
      await cache.close();
    }
  });

  it('an abort answers `aborted` at once, counts nothing, and the connection stays usable', async () => {
    const acceptedBefore = proxy.accepted;
    const cache = createClient({ servers: proxy.address, timeoutMs: 5_000, allowedFailuresBeforeHealing: 1 });
    const states: string[] = [];
    cache.subscribe((change) => states.push(change.state));
    try {
      await cache.set({ key: 'a', value: 'v' });
      proxy.setMode({ kind: 'delay', ms: 300 });
      const controller = new AbortController();
      const pending = Promise.all([
        cache.get('a', { signal: controller.signal }),
        cache.set({ key: 'b', value: 'w' }, { signal: controller.signal }),
        cache.delete('c', { signal: controller.signal }),
      ]);
      controller.abort();
      expect(await pending).toEqual([{ ok: false, reason: 'aborted' }, false, false]);
      expect(await cache.get('a', { signal: AbortSignal.abort() })).toEqual({ ok: false, reason: 'aborted' });
      proxy.setMode({ kind: 'pass' });
      // The late answers to the aborted calls arrive and are dropped; the next call is answered.
      expect(await cache.get('a')).toMatchObject({ ok: true, item: { value: Buffer.from('v') } });
      expect(states).toEqual([]);
      expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
      expect(proxy.accepted - acceptedBefore).toBe(1);
    } finally {
      proxy.setMode({ kind: 'pass' });
      await cache.close();
    }
  });
});

describe('an abort of a command on every server rejects with the signal’s reason', () => {
  type Admin = 'flush' | 'stats' | 'version' | 'ping';
  const COMMANDS: Admin[] = ['flush', 'stats', 'version', 'ping'];
  const run = (cache: ReturnType<typeof createClient>, command: Admin, signal: AbortSignal) =>
    (cache[command] as (opts: { signal: AbortSignal }) => Promise<unknown>).call(cache, { signal });

  it.each(COMMANDS)('%s, aborted before the call or while it waits, one server or two', async (command) => {
    const alone = createClient({ servers: proxy.address, timeoutMs: 5_000, allowedFailuresBeforeHealing: 1 });
    const pair = createClient({
      servers: [proxy.address, server.address],
      timeoutMs: 5_000,
      allowedFailuresBeforeHealing: 1,
    });
    try {
      for (const cache of [alone, pair]) {
        await expect(cache.ping()).resolves.toBeUndefined();
        const before = new Error('aborted before the call');
        await expect(run(cache, command, AbortSignal.abort(before))).rejects.toBe(before);
        // The default reason is a DOMException named AbortError.
        await expect(run(cache, command, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
        proxy.setMode({ kind: 'delay', ms: 300 });
        const controller = new AbortController();
        const pending = run(cache, command, controller.signal);
        const during = new Error('aborted while it waits');
        controller.abort(during);
        await expect(pending).rejects.toBe(during);
        proxy.setMode({ kind: 'pass' });
        await expect(cache.ping()).resolves.toBeUndefined();
        expect(cache.state).toBe('connected');
        expect(cache.servers().map((s) => s.failures)).toEqual(cache.servers().map(() => 0));
      }
    } finally {
      proxy.setMode({ kind: 'pass' });
      await Promise.all([alone.close(), pair.close()]);
    }
  });
});
