import { expect } from 'vitest';
import type { Client } from '../../../src/api/Client';
import { waitForState } from '../../support/waitForState';
import type { Run, Scenario } from '../Scenario';

// A server that stops answering is found under traffic (64 callers) within half a timeoutMs of the
// deadlines of the calls caught in it: a black hole (the link drops everything) and a frozen
// memcached. The deadlines are timers, and a loaded machine runs timers late, so the bound is taken
// from a plain timer of timeoutMs started with the fault in the same run: on an idle machine it
// fires at timeoutMs and the bound is 1.5 x timeoutMs (the figure the bench's outage suite
// measures); a client that needed a second round of deadlines still fails.
const TIMEOUT_MS = 200;
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
  const timer = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), TIMEOUT_MS));
  await waitForState(cache, 'reconnecting', 5_000);
  const detectedMs = performance.now() - started;
  const timerMs = (await timer) - started;
  expect(detectedMs).toBeLessThanOrEqual(Math.max(timerMs, TIMEOUT_MS) + TIMEOUT_MS / 2);
}

export const DETECTION: readonly Scenario[] = [
  {
    name: 'black hole: found under 64 callers within half a timeoutMs of the deadlines it waits for',
    alone: true,
    async run(run) {
      const faulty = await run.faulty();
      await detect(run, faulty.address, () => faulty.proxy.blackHole());
    },
  },
  {
    name: 'SIGSTOP: a frozen memcached found under 64 callers within half a timeoutMs of the deadlines it waits for',
    alone: true,
    async run(run) {
      const memcached = await run.memcached();
      run.finally(() => memcached.process.kill('SIGCONT'));
      await detect(run, memcached.address, () => memcached.process.kill('SIGSTOP'));
    },
  },
];
