import type { Contender } from './contenders';
import { hitKey, VALUE_BYTES } from './healthySuite';
import type { Target } from './healthyTargets';
import { interleave, throughput } from './measure';
import { type Interval, pairedRatioInterval } from './stats';

export interface ParitySettings {
  /** Rounds per workload: each runs binary, its control and meta once, in rotated order. */
  readonly rounds: number;
  readonly roundMs: number;
  readonly callers: number;
}

export interface ParityRow {
  readonly workload: 'get' | 'set';
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
 * Meta against binary at many callers, measured finely enough to tell 5%. There a round's rate
 * moves by about a fifth from one round to the next, for two clients of the same code as much as
 * for the two protocols, and about as much in a round of 50 ms as in one of 250: the healthy
 * suite's nine rounds place the ratio within several percent either way. Here the ratio is the
 * median of many short rounds, and a second binary client, measured alike, shows the resolution.
 */
export async function paritySuite(
  clients: { readonly binary: Contender; readonly control: Contender; readonly meta: Contender },
  settings: ParitySettings,
  progress: (line: string) => void,
): Promise<ParityRow[]> {
  const value = Buffer.alloc(VALUE_BYTES, 'v');
  const contenders = [clients.binary, clients.control, clients.meta];
  const workloads = [
    { workload: 'get', call: (c: Contender, i: number) => c.get(hitKey(i)) },
    { workload: 'set', call: (c: Contender, i: number) => c.set(hitKey(i), value) },
  ] as const;
  const rows: ParityRow[] = [];
  for (const { workload, call } of workloads) {
    const started = performance.now();
    const run = async (c: Contender) => (await throughput((i) => call(c, i), settings.callers, settings.roundMs)).rate;
    for (const c of contenders) await run(c);
    const [binary, control, meta] = await interleave(contenders, settings.rounds, run);
    const row: ParityRow = {
      workload,
      callers: settings.callers,
      rounds: settings.rounds,
      meta: pairedRatioInterval(meta!, binary!),
      control: pairedRatioInterval(control!, binary!),
    };
    rows.push(row);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progress(
      `parity ${workload} at ${settings.callers} callers (${seconds} s): meta/binary ${row.meta.median.toFixed(3)}, control ${row.control.median.toFixed(3)}`,
    );
  }
  return rows;
}

const PARITY_BAR = 0.95;
const interval = ({ median, low, high }: Interval) =>
  `${median.toFixed(3)}x (95% interval ${low.toFixed(3)}-${high.toFixed(3)})`;

/** Meta within 5% of binary, and at least binary, for each workload the suite measured. */
export function parityTargets(rows: readonly ParityRow[]): Target[] {
  return rows.flatMap((row) => {
    const what = `${row.workload} at ${row.callers} callers`;
    const measured = `${interval(row.meta)}; control ${interval(row.control)}`;
    return [
      { name: `${what}: meta within 5% of binary`, met: row.meta.median >= PARITY_BAR, measured },
      { name: `${what}: meta >= binary`, met: row.meta.median >= 1, measured: `${row.meta.median.toFixed(3)}x` },
    ];
  });
}

/** The rows as a markdown table. */
export function renderParity(rows: readonly ParityRow[]): string {
  if (rows.length === 0) return '';
  const lines = [
    `### Meta against binary: calls per second (median of ${rows[0]!.rounds} interleaved rounds of ${rows[0]!.callers} callers)`,
    '',
    'ratio = median over rounds of one client rate / the binary client rate in the same round; control = a second binary client',
    '',
    '| workload | meta vs binary | control vs binary |',
    '|---|---:|---:|',
  ];
  for (const row of rows) lines.push(`| ${row.workload} | ${interval(row.meta)} | ${interval(row.control)} |`);
  return `${lines.join('\n')}\n`;
}
