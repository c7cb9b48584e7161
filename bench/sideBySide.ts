import { setTimeout as delay } from 'node:timers/promises';
import { interleave, type ThroughputSample, throughput } from './measure';
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
export function sideBySide<C>(
  clients: readonly C[],
  call: (client: C, i: number) => Promise<unknown>,
  callers: number,
  settings: SideBySideSettings,
): Promise<Side[]> {
  return sideBySideRounds(
    clients.length,
    (index) => throughput((i) => call(clients[index]!, i), callers, settings.roundMs),
    callers,
    settings,
  );
}

/**
 * As `sideBySide`, for sides that measure a round themselves: `round(index)` runs side `index`
 * for `settings.roundMs` with `callers` calls in flight and says what it did.
 */
export async function sideBySideRounds(
  sides: number,
  round: (index: number) => Promise<ThroughputSample>,
  callers: number,
  settings: SideBySideSettings,
): Promise<Side[]> {
  const failed = Array.from({ length: sides }, () => 0);
  const cpu = failed.map(() => [] as number[]);
  const run = async (index: number) => {
    if (callers === 1) await delay(IDLE_BEFORE_ONE_CALLER_MS);
    const sample = await round(index);
    failed[index]! += sample.failed;
    cpu[index]!.push(sample.cpuPerCall);
    return sample.rate;
  };
  for (let i = 0; i < sides; i++) await run(i);
  failed.fill(0);
  for (const c of cpu) c.length = 0;
  const samples = await interleave(
    failed.map((_, i) => i),
    settings.rounds,
    run,
  );
  return samples.map((rates, i) => ({
    samples: rates,
    median: median(rates),
    cpuSamples: cpu[i]!,
    cpuPerCall: median(cpu[i]!),
    failed: failed[i]!,
  }));
}
