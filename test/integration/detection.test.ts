import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { waitForState } from '../support/waitForState';

// Issue 11 #1 must not cost detection: a black hole and a frozen (SIGSTOP) memcached are still
// found within 1.5 x timeoutMs under traffic (64 callers), as the bench's outage suite measures.
const TIMEOUT_MS = 100;
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

async function detect(servers: string, fault: () => void | Promise<void>): Promise<number> {
  const cache = createClient({ servers, timeoutMs: TIMEOUT_MS });
  cleanups.push(() => cache.close());
  const stop = await traffic(cache, 2_000);
  cleanups.push(stop);
  const started = performance.now();
  await fault();
  await waitForState(cache, 'reconnecting', 5_000);
  return performance.now() - started;
}

describe('detection under 64 callers stays within 1.5 x timeoutMs', () => {
  it('a black hole', async () => {
    const server = await startMemcached();
    cleanups.push(() => server.stop());
    const proxy = await FaultProxy.start({ port: server.port });
    cleanups.push(() => proxy.close());
    const ms = await detect(proxy.address, () => proxy.setMode({ kind: 'blackhole' }));
    console.log(`black hole detected in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThanOrEqual(1.5 * TIMEOUT_MS);
  });

  it('a frozen memcached (SIGSTOP)', async () => {
    let server: MemcachedProcess | undefined = await startMemcached();
    cleanups.push(async () => {
      server?.process.kill('SIGCONT');
      await server?.stop();
      server = undefined;
    });
    const ms = await detect(server.address, () => void server?.process.kill('SIGSTOP'));
    console.log(`SIGSTOP detected in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThanOrEqual(1.5 * TIMEOUT_MS);
  });
});
