import { setTimeout as delay } from 'node:timers/promises';
import type { Contender, ContenderName } from './contenders';
import { interleave, throughput } from './measure';
import { median, pairedRatio } from './stats';

export interface HealthySettings {
  readonly rounds: number;
  readonly roundMs: number;
  readonly callers: readonly number[];
  /**
   * Multi-gets of `size` keys by `callers` callers at a time (1: the latency of one; more: the CPU
   * cost a busy server pays).
   */
  readonly multiGets: readonly { readonly size: number; readonly callers: number }[];
}

export interface RateRow {
  /** `get`, `set` or `getMulti`. */
  readonly workload: string;
  /** For getMulti the number of keys per call, else the number of callers. */
  readonly size: number;
  readonly callers: number;
  /** Per contender: calls per second in each round, and their median. */
  readonly results: Record<
    string,
    {
      readonly samples: number[];
      readonly median: number;
      readonly failed: number;
      /** The process's CPU time per call in each round, in microseconds, and their median. */
      readonly cpuSamples: number[];
      readonly cpuPerCall: number;
    }
  >;
  /** Median of per-round ratios of this library's rate to each other contender's. */
  readonly ratios: Record<string, number>;
}

export const VALUE_BYTES = 100;
const KEY_COUNT = 1000;
export const hitKey = (i: number) => `bench:key:${i % KEY_COUNT}`;
const missKey = (i: number) => `bench:miss:${i}`;

/** Stores the keys every healthy workload reads. */
export async function seed(writer: Contender): Promise<void> {
  const value = Buffer.alloc(VALUE_BYTES, 'v');
  for (let i = 0; i < KEY_COUNT; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => writer.set(hitKey(i + j), value)));
  }
}

/**
 * Throws unless every seeded key is still stored: a contender that stores with an expiry, or
 * anything else that drops them, would leave the next workloads measuring misses.
 */
export async function checkSeeded(reader: Contender, after: string): Promise<void> {
  const keys = Array.from({ length: KEY_COUNT }, (_, i) => hitKey(i));
  const found = await reader.getMulti(keys);
  if (found !== KEY_COUNT) throw new Error(`after ${after}, ${found} of the ${KEY_COUNT} seeded keys are stored`);
}

/** Half hits, half misses, interleaved: the keys of one multi-get of `size` keys. */
export function multiGetKeys(size: number): string[] {
  return Array.from({ length: size }, (_, i) => (i % 2 === 0 ? hitKey(i) : missKey(i)));
}

/**
 * How long memcached idles before each round at 1 caller. With one call in flight, the rate is a
 * round trip between this process and one memcached thread, and it depends on how the kernel
 * places the two: a connection that has just served a round serves the next one slower than one
 * that idled first, whatever the client, and a contender that follows another on the same
 * memcached thread inherits its slowness. An idle gap before every round starts every contender
 * alike. At 64 callers, calls pipeline and the order does not matter.
 */
export const IDLE_BEFORE_ONE_CALLER_MS = 100;

/**
 * get and set of 100-byte values at each number of callers, and multi-gets of each size, every
 * contender on the same keys in interleaved rounds after one warm-up round each.
 */
export async function healthySuite(
  contenders: readonly Contender[],
  settings: HealthySettings,
  progress: (line: string) => void,
): Promise<RateRow[]> {
  const value = Buffer.alloc(VALUE_BYTES, 'v');
  const rows: RateRow[] = [];
  const workloads: {
    workload: string;
    size: number;
    callers: number;
    call: (c: Contender, i: number) => Promise<unknown>;
  }[] = [];
  for (const callers of settings.callers) {
    workloads.push({ workload: 'get', size: callers, callers, call: (c, i) => c.get(hitKey(i)) });
    workloads.push({ workload: 'set', size: callers, callers, call: (c, i) => c.set(hitKey(i), value) });
  }
  for (const { size, callers } of settings.multiGets) {
    const keys = multiGetKeys(size);
    const hits = Math.ceil(size / 2);
    for (const c of contenders) {
      const found = await c.getMulti(keys);
      if (found !== hits) throw new Error(`${c.name} getMulti(${size}) found ${found} hits, expected ${hits}`);
    }
    workloads.push({ workload: 'getMulti', size, callers, call: (c) => c.getMulti(keys) });
  }
  for (const w of workloads) {
    const started = performance.now();
    const failed = new Map<ContenderName, number>();
    const cpu = new Map<ContenderName, number[]>();
    const run = async (c: Contender) => {
      if (w.callers === 1) await delay(IDLE_BEFORE_ONE_CALLER_MS);
      const sample = await throughput((i) => w.call(c, i), w.callers, settings.roundMs);
      failed.set(c.name, (failed.get(c.name) ?? 0) + sample.failed);
      cpu.set(c.name, [...(cpu.get(c.name) ?? []), sample.cpuPerCall]);
      return sample.rate;
    };
    for (const c of contenders) await run(c);
    failed.clear();
    cpu.clear();
    const samples = await interleave(contenders, settings.rounds, run);
    const results: RateRow['results'] = {};
    contenders.forEach((c, i) => {
      results[c.name] = {
        samples: samples[i]!,
        median: median(samples[i]!),
        failed: failed.get(c.name) ?? 0,
        cpuSamples: cpu.get(c.name) ?? [],
        cpuPerCall: median(cpu.get(c.name) ?? []),
      };
    });
    const ours = samples[0]!;
    const ratios: Record<string, number> = {};
    contenders.forEach((c, i) => {
      if (i > 0) ratios[c.name] = pairedRatio(ours, samples[i]!);
    });
    rows.push({ workload: w.workload, size: w.size, callers: w.callers, results, ratios });
    await checkSeeded(contenders[0]!, `${w.workload} ${w.size}`);
    progress(
      `${w.workload} ${w.size} (${w.callers} callers, ${((performance.now() - started) / 1000).toFixed(1)} s): ${contenders.map((c) => `${c.name} ${Math.round(results[c.name]!.median)}/s`).join(', ')}`,
    );
  }
  return rows;
}
