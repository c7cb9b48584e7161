import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// Calls made in one tick share a write (memjsServer.ts corks the socket), and responses are parsed
// where they arrive, messages split across chunks included. Every answer must still be its own.
describe('a burst of calls in one tick against a real memcached', () => {
  let memcached: MemcachedProcess;
  let client: Client;
  beforeAll(async () => {
    memcached = await startMemcached();
    client = createClient({ servers: memcached.address, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await client.close();
    await memcached.stop();
  });

  it('answers 1,000 sets and then 1,000 gets started together, each with its own value', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `burst:${i}`);
    // Values of varied sizes, so messages end at every offset of the socket's chunks.
    const value = (i: number) => Buffer.alloc(1 + ((i * 37) % 900), i % 256);
    const stored = await Promise.all(keys.map((key, i) => client.set({ key, value: value(i), flags: i })));
    expect(stored.every((ok) => ok === true)).toBe(true);
    const got = await Promise.all(keys.map((key) => client.get(key)));
    const wrong = got.flatMap((result, i) =>
      result.ok && result.item?.value.equals(value(i)) && result.item.flags === i ? [] : [keys[i]],
    );
    expect(wrong).toEqual([]);
  });

  it('answers values larger than a socket chunk, mixed with small calls in the same tick', async () => {
    const big = Buffer.alloc(600_000, 7);
    const [stored, ...small] = await Promise.all([
      client.set({ key: 'burst:big', value: big }),
      ...Array.from({ length: 50 }, (_, i) => client.set({ key: `burst:small:${i}`, value: `v${i}` })),
    ]);
    expect(stored).toBe(true);
    expect(small.every((ok) => ok === true)).toBe(true);
    const [bigGet, multi, ...smallGets] = await Promise.all([
      client.get('burst:big'),
      client.getMulti(['burst:big', 'burst:small:3', 'burst:missing']),
      ...Array.from({ length: 50 }, (_, i) => client.get(`burst:small:${i}`)),
    ]);
    expect(bigGet.ok && bigGet.item?.value.equals(big)).toBe(true);
    if (!multi.ok) throw new Error(`getMulti answered ${multi.reason}`);
    expect(multi.items.get('burst:big')?.value.equals(big)).toBe(true);
    expect(multi.items.get('burst:small:3')?.value.toString()).toBe('v3');
    expect(multi.items.has('burst:missing')).toBe(false);
    smallGets.forEach((result, i) => {
      expect(result.ok && result.item?.value.toString()).toBe(`v${i}`);
    });
  });
});
