import { expect } from 'vitest';
import { waitForState } from '../../support/waitForState';
import type { Run, Scenario } from '../Scenario';

// Faults of the link or of memcached's process, met through a fault proxy (or memcached itself):
// each is a connection failure, counted, and the client heals once the fault ends.
const FAST = { allowedFailuresBeforeHealing: 2, recoveryDelayMs: 20, maxRecoveryDelayMs: 40 };

/** Gets until the client gives up on the server (reconnecting), then heals once `restore` ran. */
async function failsThenHeals(run: Run, address: string, restore: () => Promise<void>) {
  const cache = run.client(address, { timeoutMs: 1_000, ...FAST });
  while (cache.state !== 'reconnecting') {
    expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'connection' });
  }
  await restore();
  await waitForState(cache, 'connected', 5_000);
  expect(await cache.get('k')).toMatchObject({ ok: true });
}

export const LINK_FAULTS: readonly Scenario[] = [
  {
    name: 'refused: memcached killed, then restarted on the same address',
    async run(run) {
      const first = await run.memcached();
      const again = run.transport === 'unix' ? { unixSocket: first.address } : { port: first.port };
      await first.stop();
      await failsThenHeals(run, first.address, async () => void (await run.memcached(again)));
    },
  },
  {
    name: 'reset: every connection is reset as its answer starts',
    async run(run) {
      const faulty = await run.faulty();
      await faulty.proxy.setMode({ kind: 'reset' });
      await failsThenHeals(run, faulty.address, () => faulty.proxy.restore());
    },
  },
  {
    name: 'byte drip: answers arriving a byte at a time are read whole',
    async run(run) {
      const faulty = await run.faulty();
      const cache = run.client(faulty.address, { timeoutMs: 10_000 });
      const value = 'v'.repeat(300);
      expect(await cache.set({ key: 'drip', value })).toBe(true);
      expect(await cache.set({ key: 'drop', value: 'short' })).toBe(true);
      await faulty.proxy.trickle();
      const got = await cache.get('drip');
      expect(got.ok && got.item?.value.toString()).toBe(value);
      const many = await cache.getMulti(['drip', 'drop', 'none']);
      if (!many.ok) throw new Error(`getMulti answered ${many.reason}`);
      expect([...many.items.values()].map((item) => item.value.toString())).toEqual([value, 'short']);
      expect(cache.servers()[0]!.failures).toBe(0);
    },
  },
  {
    name: 'slow link: a slow large value nobody waits for any more does not hold up the next calls',
    alone: true,
    async run(run) {
      const faulty = await run.faulty({ args: ['-I', '8m'] });
      const loader = run.client(faulty.address, { timeoutMs: 5_000 });
      expect(await loader.set({ key: 'big', value: Buffer.alloc(4 * 1024 * 1024, 1) })).toBe(true);
      expect(await loader.set({ key: 'small', value: 'v' })).toBe(true);
      const cache = run.client(faulty.address, { timeoutMs: 2_000, allowedFailuresBeforeHealing: 10 });
      expect(await cache.get('small')).toMatchObject({ ok: true });
      // A congested link: each response chunk (up to 64 KB) held 50 ms, about 1.3 MB/s. The big get
      // gives up once the value has started to arrive, with about 2.5 s of it still to come.
      await faulty.proxy.setMode({ kind: 'delay', ms: 50 });
      expect(await cache.get('big', { timeoutMs: 500 })).toMatchObject({ ok: false, reason: 'timeout' });
      // Read on, the rest of the big value would hold each small get past its 2 s.
      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(await cache.get('small'));
      expect(answers.filter((a) => !a.ok)).toEqual([]);
      expect(cache.state).toBe('connected');
    },
  },
  {
    name: 'memcached -M full: server errors mid-batch name exactly the keys refused',
    only: {
      transports: ['tcp', 'unix'],
      why: "memcached 1.6's TLS leaves a pipelined write of some sizes unread (the rest sits in its TLS buffer): the batch, not the fault, would be tested",
    },
    async run(run) {
      const memcached = await run.memcached({ args: ['-M', '-m', '2'] });
      const cache = run.client(memcached.address, { timeoutMs: 10_000 });
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
    },
  },
];
