import { setTimeout as delay } from 'node:timers/promises';
import { type Contender, createContender } from './contenders';
import { hitKey, IDLE_BEFORE_ONE_CALLER_MS, multiGetKeys, seed, VALUE_BYTES } from './healthySuite';
import type { Target } from './healthyTargets';
import type { Library } from './library';
import { interleave, throughput } from './measure';
import { type Interval, pairedRatioInterval } from './stats';

export interface ParitySettings {
  /** Rounds per workload: each runs binary, its control and meta once, in rotated order. */
  readonly rounds: number;
  readonly roundMs: number;
}

/** The workloads of the target "meta within 5% of binary". */
const WORKLOADS = [
  { workload: 'get', size: 1, callers: 1 },
  { workload: 'set', size: 1, callers: 1 },
  { workload: 'get', size: 64, callers: 64 },
  { workload: 'set', size: 64, callers: 64 },
  { workload: 'getMulti', size: 100, callers: 1 },
  { workload: 'getMulti', size: 100, callers: 16 },
] as const;

export interface ParityRow {
  /** `get`, `set` or `getMulti`. */
  readonly workload: string;
  /** For getMulti the number of keys per call, else the number of callers. */
  readonly size: number;
  readonly callers: number;
  readonly rounds: number;
  /** Meta's rate over binary's in the same round: their median, with its 95% interval. */
  readonly meta: Interval;
  /**
   * A second binary client's rate over the first's, measured alike: what the method resolves. Two
   * clients of the same code should come out at 1.
   */
  readonly control: Interval;
}

/**
 * Meta against binary, measured finely enough to tell 5%. A round's rate moves by about a fifth
 * from one round to the next, at 1 caller as at 64, for two clients of the same code as much as
 * for the two protocols, and about as much in a round of 50 ms as in one of 250: the healthy
 * suite's nine rounds place the ratio within several percent either way. Here the ratio is the
 * median of many short rounds, and a second binary client, measured alike, shows the resolution.
 */
export async function paritySuite(
  lib: Library,
  servers: string,
  settings: ParitySettings,
  progress: (line: string) => void,
): Promise<ParityRow[]> {
  const names = ['reconnecting-memcached', 'reconnecting-memcached', 'reconnecting-memcached (meta)'] as const;
  const contenders = names.map((name) => createContender(name, lib, servers));
  try {
    await seed(contenders[0]!);
    return await measureParity(contenders, settings, progress);
  } finally {
    await Promise.all(contenders.map((c) => c.close()));
  }
}

/** Each workload over `contenders`: binary, its control, meta. */
async function measureParity(
  contenders: readonly Contender[],
  settings: ParitySettings,
  progress: (line: string) => void,
): Promise<ParityRow[]> {
  const value = Buffer.alloc(VALUE_BYTES, 'v');
  const rows: ParityRow[] = [];
  for (const { workload, size, callers } of WORKLOADS) {
    const started = performance.now();
    const call = callOf(workload, size, value);
    const run = async (c: Contender) => {
      // As in the healthy suite: one call in flight measures a round trip, which an idle gap steadies.
      if (callers === 1) await delay(IDLE_BEFORE_ONE_CALLER_MS);
      return (await throughput((i) => call(c, i), callers, settings.roundMs)).rate;
    };
    for (const c of contenders) await run(c);
    const [binary, control, meta] = await interleave(contenders, settings.rounds, run);
    const row: ParityRow = {
      workload,
      size,
      callers,
      rounds: settings.rounds,
      meta: pairedRatioInterval(meta!, binary!),
      control: pairedRatioInterval(control!, binary!),
    };
    rows.push(row);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progress(
      `parity ${describe(row)} (${seconds} s): meta/binary ${row.meta.median.toFixed(3)}, control ${row.control.median.toFixed(3)}`,
    );
  }
  return rows;
}

/** The call a round makes, chosen once per workload rather than on every call. */
function callOf(workload: string, size: number, value: Buffer): (c: Contender, i: number) => Promise<unknown> {
  if (workload === 'get') return (c, i) => c.get(hitKey(i));
  if (workload === 'set') return (c, i) => c.set(hitKey(i), value);
  const keys = multiGetKeys(size);
  return (c) => c.getMulti(keys);
}

const describe = (row: ParityRow) => {
  const callers = `${row.callers} caller${row.callers === 1 ? '' : 's'}`;
  return row.workload === 'getMulti' ? `getMulti of ${row.size} keys, ${callers}` : `${row.workload} at ${callers}`;
};

const PARITY_BAR = 0.95;
const interval = ({ median, low, high }: Interval) =>
  `${median.toFixed(3)}x (95% interval ${low.toFixed(3)}-${high.toFixed(3)})`;

/** Meta within 5% of binary for each workload the suite measured, and at least binary at 64 callers. */
export function parityTargets(rows: readonly ParityRow[]): Target[] {
  return rows.flatMap((row) => {
    const what = describe(row);
    const measured = `${interval(row.meta)}; control ${interval(row.control)}`;
    const within = { name: `${what}: meta within 5% of binary`, met: row.meta.median >= PARITY_BAR, measured };
    if (row.workload === 'getMulti' || row.callers !== 64) return [within];
    return [
      within,
      { name: `${what}: meta >= binary`, met: row.meta.median >= 1, measured: `${row.meta.median.toFixed(3)}x` },
    ];
  });
}

/** The rows as a markdown table. */
export function renderParity(rows: readonly ParityRow[]): string {
  if (rows.length === 0) return '';
  const lines = [
    `### Meta against binary: calls per second (median of ${rows[0]!.rounds} interleaved rounds)`,
    '',
    "ratio = median over rounds of one client's rate / the binary client's rate in the same round; control = a second binary client",
    '',
    '| workload | meta vs binary | control vs binary |',
    '|---|---:|---:|',
  ];
  for (const row of rows) lines.push(`| ${describe(row)} | ${interval(row.meta)} | ${interval(row.control)} |`);
  return `${lines.join('\n')}\n`;
}
