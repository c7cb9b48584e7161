import { setTimeout as delay } from 'node:timers/promises';
import { interleave, throughput } from './measure';
import { median } from './stats';

export interface SideBySideSettings {
  readonly rounds: number;
  readonly roundMs: number;
}

/** One client's figures over the rounds of a workload. */
export interface Side {
  /** Calls per second in each round, and their median. */
  readonly samples: number[];
  readonly median: number;
  /** The process's CPU time per call in each round, in microseconds, and their median. */
  readonly cpuSamples: number[];
  readonly cpuPerCall: number;
  /** Calls that rejected or answered not-ok, over the measured rounds. */
  readonly failed: number;
}

/** As in the healthy suite: with one call in flight, each round starts after memcached idled alike. */
const IDLE_BEFORE_ONE_CALLER_MS = 100;

/**
 * `call` at `callers` callers on each client, in interleaved rounds after a warm-up round each:
 * the clients differ in one thing (the transport, a proxy on the way), so the per-round ratios of
 * their figures say what that one thing costs.
 */
export async function sideBySide<C>(
  clients: readonly C[],
  call: (client: C, i: number) => Promise<unknown>,
  callers: number,
  settings: SideBySideSettings,
): Promise<Side[]> {
  const failed = clients.map(() => 0);
  const cpu = clients.map(() => [] as number[]);
  const run = async (index: number) => {
    if (callers === 1) await delay(IDLE_BEFORE_ONE_CALLER_MS);
    const sample = await throughput((i) => call(clients[index]!, i), callers, settings.roundMs);
    failed[index]! += sample.failed;
    cpu[index]!.push(sample.cpuPerCall);
    return sample.rate;
  };
  for (let i = 0; i < clients.length; i++) await run(i);
  failed.fill(0);
  for (const c of cpu) c.length = 0;
  const samples = await interleave(
    clients.map((_, i) => i),
    settings.rounds,
    run,
  );
  return clients.map((_, i) => ({
    samples: samples[i]!,
    median: median(samples[i]!),
    cpuSamples: cpu[i]!,
    cpuPerCall: median(cpu[i]!),
    failed: failed[i]!,
  }));
}
