import memjs from 'memjs';
import { hitKey, VALUE_BYTES } from './healthySuite';
import type { Library } from './library';
import { interleave, throughput } from './measure';
import { median, pairedRatio } from './stats';

export interface CommandsSettings {
  readonly rounds: number;
  readonly roundMs: number;
  /** Callers of the single-key workloads (the targets are at 64). */
  readonly callers: number;
}

export interface CommandRow {
  /** `incr`, `add`, `gets+cas` or `setMulti 100`. */
  readonly workload: string;
  readonly callers: number;
  /** What memjs does instead: the same command, or (where memjs has none) its nearest. */
  readonly memjsDoes: string;
  /** Calls per second: each round's rate and their median, per side. */
  readonly ours: { readonly samples: number[]; readonly median: number; readonly failed: number };
  readonly memjs: { readonly samples: number[]; readonly median: number; readonly failed: number };
  /** Median over rounds of our rate / memjs's in the same round. */
  readonly ratio: number;
}

// The parts of memjs 1.3.2's public API used here (it ships no types).
interface MemjsClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: Buffer, options: object): Promise<boolean>;
  add(key: string, value: Buffer, options: object): Promise<boolean>;
  increment(key: string, amount: number, options: { initial?: number }): Promise<unknown>;
  close(): void;
}

const counterKey = (i: number) => `bench:counter:${i % 1000}`;

/**
 * The commands beyond get, set and delete, against memjs where memjs has them, one server each, interleaved
 * rounds after a warm-up: `incr` and `add` (memjs: increment, add) and `gets`+`cas` (memjs has no
 * CAS: its get+set, the unsafe read-modify-write a memjs user writes instead) at `callers` callers;
 * `setMulti` of 100 items by one caller against 100 memjs sets in parallel (memjs has no batch store).
 */
export async function commandsSuite(
  lib: Library,
  servers: string,
  settings: CommandsSettings,
  progress: (line: string) => void,
): Promise<CommandRow[]> {
  const ours = lib.createClient({ servers });
  const theirs = (memjs as unknown as { Client: { create(s: string, o: object): MemjsClient } }).Client.create(
    servers,
    { logger: { log() {} } },
  );
  const value = Buffer.alloc(VALUE_BYTES, 'v');
  let added = 0;
  const batch = Array.from({ length: 100 }, (_, i) => ({ key: hitKey(i), value }));
  const workloads = [
    {
      workload: 'incr',
      callers: settings.callers,
      memjsDoes: 'increment',
      ours: (i: number) => ours.incr(counterKey(i), 1, { initial: 0 }),
      memjs: (i: number) => theirs.increment(counterKey(i), 1, { initial: 0 }),
    },
    {
      workload: 'add',
      callers: settings.callers,
      memjsDoes: 'add',
      // A new key each call: both sides measure an add that stores (a lock taken).
      ours: () => ours.add({ key: `bench:add:ours:${added++}`, value }),
      memjs: () => theirs.add(`bench:add:memjs:${added++}`, value, {}),
    },
    {
      workload: 'gets+cas',
      callers: settings.callers,
      memjsDoes: 'get+set (no CAS)',
      ours: async (i: number) => {
        const read = await ours.gets(hitKey(i));
        if (!read.ok || !read.item) return read;
        return ours.cas({ key: hitKey(i), value, cas: read.item.cas });
      },
      memjs: async (i: number) => {
        await theirs.get(hitKey(i));
        return theirs.set(hitKey(i), value, {});
      },
    },
    {
      workload: 'setMulti 100',
      callers: 1,
      memjsDoes: '100 sets in parallel',
      ours: () => ours.setMulti(batch),
      memjs: () => Promise.all(batch.map((item) => theirs.set(item.key, item.value, {}))),
    },
  ];
  const rows: CommandRow[] = [];
  try {
    for (const item of batch) if (!(await ours.set(item))) throw new Error('seed failed');
    for (const w of workloads) {
      const failed = [0, 0];
      const calls = [w.ours, w.memjs];
      const run = async (side: number) => {
        const sample = await throughput(calls[side]!, w.callers, settings.roundMs);
        failed[side]! += sample.failed;
        return sample.rate;
      };
      await run(0); // warm-up
      await run(1);
      failed.fill(0);
      const [mine, memjsRates] = (await interleave([0, 1], settings.rounds, run)) as [number[], number[]];
      const row: CommandRow = {
        workload: w.workload,
        callers: w.callers,
        memjsDoes: w.memjsDoes,
        ours: { samples: mine, median: median(mine), failed: failed[0]! },
        memjs: { samples: memjsRates, median: median(memjsRates), failed: failed[1]! },
        ratio: pairedRatio(mine, memjsRates),
      };
      rows.push(row);
      progress(
        `${w.workload} (${w.callers} callers): ours ${Math.round(row.ours.median)}/s, memjs ${w.memjsDoes} ${Math.round(row.memjs.median)}/s, ${row.ratio.toFixed(2)}x`,
      );
    }
  } finally {
    await ours.close();
    theirs.close();
  }
  return rows;
}

/** The table of the commands suite. */
export function renderCommands(rows: readonly CommandRow[]): string {
  const lines = [
    `### Commands: calls per second (median of ${rows[0]?.ours.samples.length ?? 0} interleaved rounds)`,
    '',
    '| workload | callers | this library | memjs | memjs does | ratio |',
    '|---|---:|---:|---:|---|---:|',
  ];
  for (const row of rows) {
    const failed =
      row.ours.failed + row.memjs.failed > 0 ? ` (failed: ours ${row.ours.failed}, memjs ${row.memjs.failed})` : '';
    lines.push(
      `| ${row.workload}${failed} | ${row.callers} | ${Math.round(row.ours.median).toLocaleString('en-US')} | ${Math.round(row.memjs.median).toLocaleString('en-US')} | ${row.memjsDoes} | ${row.ratio.toFixed(2)}x |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** The commands' targets: each single-key command memjs has >= 0.97x memjs at 64 callers; setMulti(100) >= 5x. */
export function commandTargets(rows: readonly CommandRow[]): { name: string; met: boolean; measured: string }[] {
  const out: { name: string; met: boolean; measured: string }[] = [];
  for (const row of rows) {
    const bar = row.workload === 'setMulti 100' ? 5 : 0.97;
    if (row.workload === 'gets+cas') continue; // memjs has no CAS: reported, not a target
    out.push({
      name: `${row.workload} >= ${bar}x memjs ${row.memjsDoes}`,
      met: row.ratio >= bar,
      measured: `${row.ratio.toFixed(2)}x`,
    });
  }
  return out;
}
