import { expect } from 'vitest';
import type { Client } from '../../../src/api/Client';
import { waitForState } from '../../support/waitForState';
import type { Run, Scenario } from '../Scenario';

// A server that stops answering is found within 1.5 x timeoutMs under traffic (64 callers), as the
// bench's outage suite measures: a black hole (the link drops everything) and a frozen memcached.
const TIMEOUT_MS = 100;
const CALLERS = 64;

/** 64 callers of get in a loop until the run ends; resolves once memcached has answered `warm` calls. */
async function traffic(run: Run, cache: Client, warm: number): Promise<void> {
  let running = true;
  let answered = 0;
  let warmed: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    warmed = resolve;
  });
  const loops = Array.from({ length: CALLERS }, async (_, i) => {
    while (running) {
      const answer = await cache.get(`d:${i}`);
      if (answer.ok && ++answered === warm) warmed();
      // Not-ok answers while reconnecting come at once: yield so the loop does not spin.
      if (!answer.ok) await new Promise((resolve) => setImmediate(resolve));
    }
  });
  run.finally(async () => {
    running = false;
    await Promise.all(loops);
  });
  await ready;
}

async function detect(run: Run, address: string, fault: () => unknown): Promise<void> {
  const cache = run.client(address, { timeoutMs: TIMEOUT_MS });
  await traffic(run, cache, 2_000);
  const started = performance.now();
  await fault();
  await waitForState(cache, 'reconnecting', 5_000);
  expect(performance.now() - started).toBeLessThanOrEqual(1.5 * TIMEOUT_MS);
}

export const DETECTION: readonly Scenario[] = [
  {
    name: 'black hole: found within 1.5 x timeoutMs under 64 callers',
    alone: true,
    async run(run) {
      const faulty = await run.faulty();
      await detect(run, faulty.address, () => faulty.proxy.blackHole());
    },
  },
  {
    name: 'SIGSTOP: a frozen memcached found within 1.5 x timeoutMs under 64 callers',
    alone: true,
    async run(run) {
      const memcached = await run.memcached();
      run.finally(() => memcached.process.kill('SIGCONT'));
      await detect(run, memcached.address, () => memcached.process.kill('SIGSTOP'));
    },
  },
];
