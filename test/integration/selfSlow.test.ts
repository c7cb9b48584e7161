import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// The caller's own slowness is not a memcached outage. Against a healthy memcached, a stall of the
// event loop with calls in flight may not answer `timeout` for calls memcached answered, or trip
// `reconnecting` (a burst of 100,000 calls: selfSlow.scale.test.ts).
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

/** The caller's own synchronous work: a GC pause, a large JSON.parse. */
function holdEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

describe('a client whose own process is slow', () => {
  it.each([150, 500])('20 gets in flight, then the event loop held %i ms: all ok, nothing counted', async (ms) => {
    const cache = createClient({ servers: server.address, timeoutMs: 100 });
    const states: ConnectionState[] = [];
    cache.subscribe((change) => states.push(change.state));
    try {
      await cache.set({ key: 'stall', value: 'v' });
      const calls = Array.from({ length: 20 }, () => cache.get('stall'));
      // The requests leave at the end of this tick; the stall comes before any answer is read, so
      // memcached has the whole stall to answer, however busy the machine. (Requests the stall keeps
      // unwritten race memcached once it ends: `bench/selfSlow.ts stall` measures that case.)
      await new Promise((resolve) => process.nextTick(resolve));
      holdEventLoop(ms);
      const answers = await Promise.all(calls);
      expect(answers.filter((a) => !a.ok)).toEqual([]);
      expect(states).toEqual([]);
      expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    } finally {
      await cache.close();
    }
  });

  it('a connect the event loop held past connectTimeoutMs: the socket gets its turn, nothing counts', async () => {
    // A fresh client connects on its first call; the caller then holds the loop longer than the
    // connect deadline (200 ms, twice timeoutMs). The connection was made meanwhile, unread: it must
    // not fail as "did not finish within 200 ms", nor count toward healing.
    const cache = createClient({ servers: server.address, timeoutMs: 100 });
    const states: ConnectionState[] = [];
    cache.subscribe((change) => states.push(change.state));
    try {
      const call = cache.get('connect-stall');
      holdEventLoop(400);
      // It answers (ok, or timeout: its deadline passed before its request could even be
      // written), and nothing counts toward healing.
      const answer = await call;
      expect(answer.ok || answer.reason === 'timeout').toBe(true);
      expect(states).toEqual([]);
      expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
      expect(await cache.get('connect-stall')).toMatchObject({ ok: true });
    } finally {
      await cache.close();
    }
  });
});
