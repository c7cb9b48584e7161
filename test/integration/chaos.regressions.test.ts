import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { startMemcached } from '../../src/testing/memcached';

// Bugs the chaos suite found, each pinned by the smallest test that shows it.

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function proxiedClient(options: { timeoutMs: number; allowedFailuresBeforeHealing: number }) {
  const server = await startMemcached();
  cleanup.push(() => server.stop());
  const proxy = await FaultProxy.start({ port: server.port });
  cleanup.push(() => proxy.close());
  // Healing far away: these tests are about one connection surviving a fault without being replaced.
  const cache = createClient({ servers: proxy.address, recoveryDelayMs: 60_000, ...options });
  cleanup.push(() => cache.close());
  return { server, proxy, cache };
}

describe('chaos regressions', () => {
  it('a link cut in the middle of a large value does not poison the calls after it', async () => {
    // The next socket's bytes must not be parsed as the tail of the cut 64 KB response (memjs does
    // that), which would time out every call after the cut until a heal replaced the client.
    const { proxy, cache } = await proxiedClient({ timeoutMs: 300, allowedFailuresBeforeHealing: 10 });
    expect(await cache.set({ key: 'big', value: Buffer.alloc(64 * 1024, 7) })).toBe(true);
    expect(await cache.set({ key: 'small', value: 'hello' })).toBe(true);

    await proxy.setMode({ kind: 'cut', afterBytes: 20_000 });
    expect((await cache.get('big')).ok).toBe(false);
    expect(cache.state).toBe('degraded');

    await proxy.setMode({ kind: 'pass' });
    for (let i = 0; i < 3; i++) {
      expect(await cache.get('small')).toMatchObject({ ok: true, item: { value: Buffer.from('hello') } });
    }
    expect(cache.state).toBe('connected');
    expect((await cache.get('big')).ok).toBe(true);
  });

  it('a call pending on a connection the server closes fails at once, not at its deadline', async () => {
    // memjs never fails the callbacks of a socket that closes cleanly (memjs #162): the client must
    // fail them itself, or the call waits for its deadline and answers `timeout`.
    const { proxy, cache } = await proxiedClient({ timeoutMs: 5000, allowedFailuresBeforeHealing: 10 });
    expect(await cache.set({ key: 'big', value: Buffer.alloc(64 * 1024, 7) })).toBe(true);
    await proxy.setMode({ kind: 'cut', afterBytes: 20_000 });
    // `connection`, not `timeout`: it settled on the close itself, long before the 5 s deadline.
    expect(await cache.get('big')).toMatchObject({
      ok: false,
      reason: 'connection',
      error: { code: 'ERR_CONNECTION' },
    });
  });
});
