import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { waitForState } from '../support/waitForState';

// Telling the caller's own slowness from an outage must not slow detection: a black hole and a
// frozen (SIGSTOP) memcached are found within half a timeoutMs of the deadlines of the calls caught
// in them, under traffic (64 callers). The deadlines are timers, and a loaded machine runs timers
// late, so the bound is taken from a plain timer of timeoutMs started with the fault in the same
// run: on an idle machine it fires at timeoutMs and the bound is 1.5 x timeoutMs (the figure the
// bench's outage suite measures); a client that needed a second round of deadlines still fails.
const TIMEOUT_MS = 200;
const CALLERS = 64;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** 64 callers of get in a loop until `stop()`; resolves once memcached has answered `warm` calls. */
async function traffic(cache: Client, warm: number) {
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
  await ready;
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

interface Detection {
  /** From the fault in place to `reconnecting`, in ms. */
  readonly detectedMs: number;
  /** From the fault in place to a plain `setTimeout` of timeoutMs firing, in ms. */
  readonly timerMs: number;
}

async function detect(servers: string, fault: () => void | Promise<void>): Promise<Detection> {
  const cache = createClient({ servers, timeoutMs: TIMEOUT_MS });
  cleanups.push(() => cache.close());
  const stop = await traffic(cache, 2_000);
  cleanups.push(stop);
  await fault();
  const started = performance.now();
  const timer = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), TIMEOUT_MS));
  await waitForState(cache, 'reconnecting', 5_000);
  const detected = performance.now();
  return { detectedMs: detected - started, timerMs: (await timer) - started };
}

/** Detection within half a timeoutMs of when this process ran a timer of timeoutMs. */
function expectPrompt(what: string, { detectedMs, timerMs }: Detection): void {
  console.log(
    `${what} detected in ${detectedMs.toFixed(0)} ms; a timer of ${TIMEOUT_MS} ms fired at ${timerMs.toFixed(0)} ms`,
  );
  expect(detectedMs).toBeLessThanOrEqual(Math.max(timerMs, TIMEOUT_MS) + TIMEOUT_MS / 2);
}

describe('detection under 64 callers: within half a timeoutMs of the deadlines it waits for', () => {
  it('a black hole', async () => {
    const server = await startMemcached();
    cleanups.push(() => server.stop());
    const proxy = await FaultProxy.start({ port: server.port });
    cleanups.push(() => proxy.close());
    expectPrompt('black hole', await detect(proxy.address, () => proxy.setMode({ kind: 'blackhole' })));
  });

  it('a frozen memcached (SIGSTOP)', async () => {
    let server: MemcachedProcess | undefined = await startMemcached();
    cleanups.push(async () => {
      server?.process.kill('SIGCONT');
      await server?.stop();
      server = undefined;
    });
    expectPrompt('SIGSTOP', await detect(server.address, () => void server?.process.kill('SIGSTOP')));
  });
});
