import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Runs `measure` for every item in every round, interleaved: round r starts at item r (A B C D,
 * then B C D A reversed: A D C B, then C D A B, ...). On a shared machine the load drifts;
 * interleaving spreads it over all items instead of charging it to whichever ran last, and the
 * reversed rounds give each item both neighbours (from three items on; two items run A B every
 * round, each after the other: A B then B A would run B twice in a row).
 *
 * No item is measured twice in a row: a connection that has just run a round runs the next one
 * slower than after an idle gap, for the floor client as for ours (see healthySuite.ts).
 * Returns samples[item][round].
 */
export async function interleave<T>(
  items: readonly T[],
  rounds: number,
  measure: (item: T, round: number) => Promise<number>,
): Promise<number[][]> {
  const samples = items.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const order = items.map((_, i) => (i + round) % items.length);
    if (round % 2 === 1) order.reverse();
    for (const i of order) samples[i]!.push(await measure(items[i]!, round));
  }
  return samples;
}

/** A call's answer that says "not ok" without throwing: `false`, or `{ ok: false }` (this library). */
export function isNotOk(answer: unknown): boolean {
  return (
    answer === false || (typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === false)
  );
}

export interface ThroughputSample {
  /** Calls completed per second. */
  readonly rate: number;
  /** Calls that rejected or answered not-ok. */
  readonly failed: number;
  /** This process's CPU time (user + system) per call finished, in microseconds. */
  readonly cpuPerCall: number;
}

/**
 * `callers` concurrent loops, each awaiting `call(i)` then calling again, for `durationMs`.
 * The stop is a timer flag, not a clock read per call, so the loop adds the same small cost to
 * every contender. The rate counts calls finished over the time until the last one finished;
 * failed calls count in both the rate and `failed`.
 */
export async function throughput(
  call: (i: number) => Promise<unknown>,
  callers: number,
  durationMs: number,
): Promise<ThroughputSample> {
  let stop = false;
  let done = 0;
  let failed = 0;
  const timer = setTimeout(() => {
    stop = true;
  }, durationMs);
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  const loop = async (caller: number) => {
    let i = caller;
    while (!stop) {
      let ok: boolean;
      try {
        ok = !isNotOk(await call(i));
      } catch {
        ok = false;
      }
      done++;
      i += callers;
      if (!ok) {
        failed++;
        // A client that fails fast answers without I/O: without a turn of the event loop here, the
        // callers would spin on settled promises and the stop timer would never fire.
        await nextTurn();
      }
    }
  };
  const loops: Promise<void>[] = [];
  for (let c = 0; c < callers; c++) loops.push(loop(c));
  await Promise.all(loops);
  clearTimeout(timer);
  const cpu = process.cpuUsage(cpuAtStart);
  return { rate: done / ((performance.now() - start) / 1000), failed, cpuPerCall: (cpu.user + cpu.system) / done };
}

/**
 * Latency of `count` calls made one after another, in microseconds: for clients that answer at
 * once. The loop itself does nothing per call but two clock reads and an await, the same for every
 * contender. It lets the event loop turn every `yieldEvery` calls, like calls that arrive from I/O:
 * a loop of calls answered without I/O would otherwise starve every timer and socket. If the whole
 * batch has not finished after `capMs` (a client that does not fail fast), it stops and reports
 * what it has, with `hung` set.
 */
export async function sequentialLatencies(
  call: () => Promise<unknown>,
  count: number,
  capMs: number,
  yieldEvery = 64,
): Promise<{ micros: Float64Array; hung: boolean }> {
  const micros: number[] = [];
  let stop = false;
  const loop = async () => {
    for (let i = 0; i < count && !stop; i++) {
      const t0 = performance.now();
      try {
        await call();
      } catch {}
      micros.push((performance.now() - t0) * 1000);
      if (i % yieldEvery === yieldEvery - 1) await nextTurn();
    }
  };
  const hung = !(await settlesWithin(loop(), capMs));
  stop = true;
  return { micros: Float64Array.from(micros), hung };
}

/**
 * Latency of `count` calls started together, in microseconds: for clients that take long to fail.
 * A call that has not settled after `capMs` is recorded as `capMs` and counted in `unanswered`
 * (some clients never answer a black hole).
 */
export async function concurrentLatencies(
  call: () => Promise<unknown>,
  count: number,
  capMs: number,
): Promise<{ micros: Float64Array; unanswered: number }> {
  const micros = new Float64Array(count);
  let unanswered = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const t0 = performance.now();
      if (!(await settlesWithin(call(), capMs))) unanswered++;
      micros[i] = (performance.now() - t0) * 1000;
    }),
  );
  return { micros, unanswered };
}

/** True once `promise` settles (either way); false if it has not after `capMs`. */
export async function settlesWithin(promise: Promise<unknown>, capMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const capped = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), capMs);
  });
  try {
    return await Promise.race([promise.then(yes, yes), capped]);
  } finally {
    clearTimeout(timer);
  }
}

const yes = () => true;
