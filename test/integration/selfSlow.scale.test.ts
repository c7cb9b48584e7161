import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// A burst the caller makes itself is not a memcached outage: 100,000 calls at once may answer
// `timeout` for some, but none counts toward healing. A scale test: it runs alone, after the rest,
// since memcached must keep up with the burst for the property to hold (a memcached starved of CPU
// by other tests is a slow server, whose timeouts rightly count).
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

describe('a client whose own process is slow, at scale', () => {
  it('Promise.all of 100,000 gets with the default timeoutMs never trips healing', async () => {
    const cache = createClient({ servers: server.address });
    const states: ConnectionState[] = [];
    cache.subscribe((change) => states.push(change.state));
    try {
      await cache.set({ key: 'burst', value: 'v' });
      const answers = await Promise.all(Array.from({ length: 100_000 }, () => cache.get('burst')));
      const reasons = new Set(answers.flatMap((a) => (a.ok ? [] : [a.reason])));
      // Those that missed their deadline answer `timeout`, but none counted.
      expect([...reasons].filter((r) => r !== 'timeout')).toEqual([]);
      expect(states).toEqual([]);
      expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
      // And the connection is still the same healthy one.
      expect(await cache.get('burst')).toMatchObject({ ok: true });
    } finally {
      await cache.close();
    }
  });
});
