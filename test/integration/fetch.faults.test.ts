import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { startMemcached } from '../../src/testing/memcached';
import { PROTOCOL } from '../support/protocol';
import { waitForState } from '../support/waitForState';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

describe(`fetch (${PROTOCOL}) under faults`, () => {
  it('memcached killed during a fetch storm: every fetch resolves from the loader, none hangs', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const cache = createClient({
      servers: server.address,
      timeoutMs: 100,
      allowedFailuresBeforeHealing: 3,
      recoveryDelayMs: 60_000,
    });
    cleanup.push(() => cache.close());
    const settled: Promise<{ key: string; value: string; ms: number }>[] = [];
    let loads = 0;
    const fetchOne = (key: string) => {
      const started = performance.now();
      return cache
        .fetch(
          key,
          () => {
            loads++;
            return `value-of-${key}`;
          },
          { ttl: 60, timeoutMs: 300 },
        )
        .then((value) => ({ key, value: value.toString(), ms: performance.now() - started }));
    };
    // Rounds of 20 fetches over 40 keys, one round per macrotask turn; memcached dies after round 10.
    for (let round = 0; round < 40; round++) {
      if (round === 10) await server.stop('SIGKILL');
      for (let i = 0; i < 20; i++) settled.push(fetchOne(`storm:${(round * 20 + i) % 40}`));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitForState(cache, 'reconnecting');
    const down = cache.state;
    // While reconnecting the loader answers at once, without I/O.
    const late = await fetchOne('storm:late');
    const results = await Promise.all(settled);
    expect(down).toBe('reconnecting');
    expect(late.value).toBe('value-of-storm:late');
    for (const result of results) expect(result.value).toBe(`value-of-${result.key}`);
    // Bounded: the call deadline (100 ms) and the fetch's wait (300 ms), plus slack for a loaded machine.
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(2000);
    expect(loads).toBeGreaterThan(40);
  });
});
