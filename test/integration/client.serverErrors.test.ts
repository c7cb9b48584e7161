import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// memcached refusing a request says nothing about the link: with a limit of 1, a single counted
// failure would start healing. Our own ServerError carries a string `code` ('ERR_SERVER'), which
// classifyError used to take for a Node system error, so every refusal counted as an outage.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

test('a value too large is not-ok but does not start healing', async () => {
  const cache = createClient({ servers: server.address, allowedFailuresBeforeHealing: 1, timeoutMs: 2_000 });
  try {
    const changes: string[] = [];
    cache.subscribe((change) => changes.push(change.state));
    // memcached's default item size limit is 1 MiB.
    expect(await cache.set({ key: 'big', value: Buffer.alloc(2 * 1024 * 1024) })).toBe(false);
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(changes).toEqual([]);
    expect(await cache.set({ key: 'small', value: 'v' })).toBe(true);
    const got = await cache.get('small');
    expect(got.ok && got.item?.value.toString()).toBe('v');
  } finally {
    await cache.close();
  }
});
