import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '../src';
import type { ControlledMemcached } from './ControlledMemcached';
import type { Library } from './library';
import { Traffic, whenState } from './Traffic';

export interface MemorySettings {
  readonly calls: number;
  readonly cycles: number;
  readonly callers: number;
  readonly timeoutMs: number;
  readonly recoveryDelayMs: number;
}

export interface MemorySnapshot {
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  /** process.getActiveResourcesInfo(), counted by kind. */
  readonly handles: Record<string, number>;
}

export interface MemoryResult {
  readonly settings: MemorySettings;
  readonly calls: number;
  readonly cycles: number;
  readonly seconds: number;
  readonly before: MemorySnapshot;
  readonly after: MemorySnapshot;
}

/**
 * At least `calls` calls through this library against a real memcached (memjs underneath, no
 * fake), with `cycles` outages along the way, alternately a black hole and a refused port: each
 * cycle is calls/cycles/2 healthy calls, the outage, as many calls while down (failing, then failing
 * fast), then memcached back; the callers keep calling until the client is connected again, so the
 * total ends above `calls`. Heap, RSS and active handles are read after a
 * warm-up cycle and again at the end, each time with the traffic stopped and after a full GC.
 */
export async function memorySuite(
  lib: Library,
  memcached: ControlledMemcached,
  settings: MemorySettings,
  progress: (line: string) => void,
): Promise<MemoryResult> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('the memory suite needs node --expose-gc (npm run bench passes it)');
  const client = lib.createClient({
    servers: memcached.address,
    timeoutMs: settings.timeoutMs,
    recoveryDelayMs: settings.recoveryDelayMs,
    maxRecoveryDelayMs: settings.recoveryDelayMs,
  });
  const perCycle = Math.ceil(settings.calls / settings.cycles);
  let traffic = new Traffic(client, settings.callers);
  const cycle = async (n: number) => {
    await traffic.until(traffic.calls + perCycle / 2);
    const down = whenState(client, 'reconnecting', 10_000);
    if (n % 2 === 0) memcached.blackHole();
    else await memcached.refuse();
    await down;
    await traffic.until(traffic.calls + perCycle / 2);
    const up = whenState(client, 'connected', 10_000);
    await memcached.restore();
    await up;
  };
  const pause = async () => {
    await traffic.stop();
    return snapshot(client, settings.timeoutMs, gc);
  };
  // A warm-up cycle first: what the first outage allocates for good (compiled code, pools) is not growth.
  await cycle(0);
  const before = await pause();
  traffic = new Traffic(client, settings.callers);
  const start = performance.now();
  for (let n = 1; n <= settings.cycles; n++) {
    await cycle(n);
    if (n % 10 === 0) progress(`memory: ${n}/${settings.cycles} cycles, ${traffic.calls} calls`);
  }
  const seconds = (performance.now() - start) / 1000;
  const after = await pause();
  await client.close();
  return { settings, calls: traffic.calls, cycles: settings.cycles, seconds, before, after };
}

async function snapshot(client: Client, timeoutMs: number, gc: () => void): Promise<MemorySnapshot> {
  // Let the last deadlines and socket timers run out, so what is left is what stays.
  await whenState(client, 'connected', 10_000);
  await sleep(timeoutMs * 3);
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(10);
  }
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  const usage = process.memoryUsage();
  return { heapUsedBytes: usage.heapUsed, rssBytes: usage.rss, handles };
}
