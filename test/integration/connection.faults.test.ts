import { afterEach, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { startMemcached } from '../../src/testing/memcached';

// Faults of the wire that every adapter must survive the same way: this file runs over each protocol
// (vitest.config.ts), against a real memcached.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('a slow large value nobody waits for any more does not hold up the next calls', async () => {
  const memcached = await startMemcached({ args: ['-I', '8m'] });
  cleanup.push(() => memcached.stop());
  const loader = createClient({ servers: memcached.address, timeoutMs: 5_000 });
  cleanup.push(() => loader.close());
  expect(await loader.set({ key: 'big', value: Buffer.alloc(4 * 1024 * 1024, 1) })).toBe(true);
  expect(await loader.set({ key: 'small', value: 'v' })).toBe(true);
  const proxy = await FaultProxy.start({ port: memcached.port });
  cleanup.push(() => proxy.close());
  const cache = createClient({ servers: proxy.address, timeoutMs: 100, allowedFailuresBeforeHealing: 10 });
  cleanup.push(() => cache.close());
  expect(await cache.get('small')).toMatchObject({ ok: true });
  // A congested link: each response chunk (up to 64 KB) held 50 ms, about 1.3 MB/s.
  await proxy.setMode({ kind: 'delay', ms: 50 });
  expect(await cache.get('big')).toMatchObject({ ok: false, reason: 'timeout' });
  const answers = [];
  for (let i = 0; i < 20; i++) answers.push(await cache.get('small', { timeoutMs: 1_000 }));
  expect(answers.filter((a) => !a.ok)).toEqual([]);
  expect(cache.state).toBe('connected');
});

it('setMulti into a memcached whose memory is full (-M) names exactly the keys it refused', async () => {
  const memcached = await startMemcached({ args: ['-M', '-m', '2'] });
  cleanup.push(() => memcached.stop());
  const cache = createClient({ servers: memcached.address, timeoutMs: 10_000 });
  cleanup.push(() => cache.close());
  // memcached gives each size of item one page of memory even when full, and no more. So: large
  // values fill the memory, small ones fill their page and then are refused, and among the last
  // small ones, values of a size new to it are stored in their first page.
  const item = (key: string, bytes: number) => ({ key, value: Buffer.alloc(bytes, 1) });
  const items = [
    ...Array.from({ length: 400 }, (_, i) => item(`large${i}`, 9_000)),
    ...Array.from({ length: 5_600 }, (_, i) => item(`small${i}`, 100)),
    ...Array.from({ length: 100 }, (_, i) => item(`mixed${i}`, i % 2 === 0 ? 100 : 2_000)),
  ];
  const result = await cache.setMulti(items);
  if (!result.ok) throw new Error(`setMulti failed: ${result.reason}`);
  const read = await cache.getMulti(items.map(({ key }) => key));
  if (!read.ok) throw new Error(`getMulti failed: ${read.reason}`);
  expect(read.unavailable).toEqual([]);
  const missing = items.map(({ key }) => key).filter((key) => !read.items.has(key));
  expect(missing).toContain('mixed0');
  expect(missing).not.toContain('mixed1');
  expect([...result.failed].sort()).toEqual(missing.sort());
});
