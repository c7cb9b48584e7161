import { expect } from 'vitest';
import type { Run, Scenario } from '../Scenario';

// A link cut in the middle of a large value (the proxy forwards 20,000 bytes of it, then closes).
// Healing is put far away: these are about one connection failing, and the next one being clean.
async function cutClient(run: Run, timeoutMs: number) {
  const faulty = await run.faulty();
  const cache = run.client(faulty.address, { timeoutMs, allowedFailuresBeforeHealing: 10, recoveryDelayMs: 60_000 });
  expect(await cache.set({ key: 'big', value: Buffer.alloc(64 * 1024, 7) })).toBe(true);
  expect(await cache.set({ key: 'small', value: 'hello' })).toBe(true);
  await faulty.proxy.setMode({ kind: 'cut', afterBytes: 20_000 });
  return { proxy: faulty.proxy, cache };
}

export const LINK_CUT: readonly Scenario[] = [
  {
    name: 'link cut mid-value: the call pending on it fails at once (`connection`), not at its deadline',
    async run(run) {
      const { cache } = await cutClient(run, 5_000);
      const started = performance.now();
      expect(await cache.get('big')).toMatchObject({
        ok: false,
        reason: 'connection',
        error: { code: 'ERR_CONNECTION' },
      });
      expect(performance.now() - started).toBeLessThan(2_500);
    },
  },
  {
    name: "link cut mid-value: the next connection's bytes are not read as the cut value's tail",
    async run(run) {
      const { proxy, cache } = await cutClient(run, 1_000);
      expect((await cache.get('big')).ok).toBe(false);
      expect(cache.state).toBe('degraded');
      await proxy.setMode({ kind: 'pass' });
      for (let i = 0; i < 3; i++) {
        expect(await cache.get('small')).toMatchObject({ ok: true, item: { value: Buffer.from('hello') } });
      }
      expect(cache.state).toBe('connected');
      expect((await cache.get('big')).ok).toBe(true);
    },
  },
];
