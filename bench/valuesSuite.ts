import type { Library } from './library';
import { interleave, throughput } from './measure';
import { median, pairedRatio } from './stats';

export interface ValuesSettings {
  readonly rounds: number;
  readonly roundMs: number;
}

export type Codec = 'raw' | 'jsonCodec()' | 'compressed(jsonCodec())';
const CODECS: readonly Codec[] = ['raw', 'jsonCodec()', 'compressed(jsonCodec())'];

export interface ValuesRow {
  readonly workload: 'get' | 'set';
  /** Bytes of the value's JSON text. */
  readonly bytes: number;
  readonly callers: number;
  /** Per codec: the median rate, calls per second. */
  readonly rates: Record<Codec, number>;
  /** Median of per-round ratios of each codec's rate to raw's. */
  readonly vsRaw: Record<Codec, number>;
  /** Calls that answered not-ok or rejected, over all measured rounds: 0 in a valid run. */
  readonly failed: Record<Codec, number>;
}

/** A JSON object of about `bytes` bytes that compresses as real records do (about 3-4x). */
function record(bytes: number): Record<string, unknown> {
  const items = [];
  for (let i = 0; JSON.stringify(items).length < bytes; i++) {
    items.push({ id: i, name: `user-${(i * 2654435761) % 100000}`, active: i % 3 === 0, score: (i * 37) % 101 });
  }
  return { kind: 'bench', items };
}

/**
 * get and set of the same JSON record through this library three ways, on one memcached: raw
 * (the record's JSON as a Buffer, encoded once up front: the cost of the client alone), jsonCodec()
 * and compressed(jsonCodec(), { above: 1024 }). At 4 KB compression runs synchronously, at 64 KB on
 * zlib's thread pool. Interleaved rounds, as the healthy suite.
 */
export async function valuesSuite(
  lib: Library,
  servers: string,
  settings: ValuesSettings,
  progress: (line: string) => void,
): Promise<ValuesRow[]> {
  // A deadline loose enough for a loaded machine: a timed-out call would count as a failure and, ten
  // in a row, put a client into its fail-fast mode, whose not-ok answers are not what is measured.
  const timeoutMs = 2000;
  const clients = {
    raw: lib.createClient({ servers, timeoutMs }),
    'jsonCodec()': lib.createClient({ servers, timeoutMs, codec: lib.jsonCodec() }),
    'compressed(jsonCodec())': lib.createClient({
      servers,
      timeoutMs,
      codec: lib.compressed(lib.jsonCodec(), { above: 1024 }),
    }),
  } as const;
  const rows: ValuesRow[] = [];
  try {
    for (const [bytes, callers] of [
      [4096, 64],
      [65536, 16],
    ] as const) {
      const value = record(bytes);
      const raw = Buffer.from(JSON.stringify(value));
      const key = (codec: Codec, i: number) => `bench:values:${bytes}:${CODECS.indexOf(codec)}:${i % 100}`;
      const calls: Record<'get' | 'set', (codec: Codec, i: number) => Promise<unknown>> = {
        set: (codec, i) =>
          codec === 'raw'
            ? clients.raw.set({ key: key(codec, i), value: raw })
            : clients[codec].set({ key: key(codec, i), value }),
        get: (codec, i) => clients[codec].get(key(codec, i)),
      };
      for (const codec of CODECS) {
        for (let i = 0; i < 100; i++) {
          if (!(await calls.set(codec, i))) throw new Error(`values: ${codec} could not store its ${bytes} B record`);
        }
      }
      for (const workload of ['set', 'get'] as const) {
        const failed: Record<Codec, number> = { raw: 0, 'jsonCodec()': 0, 'compressed(jsonCodec())': 0 };
        const rate = async (codec: Codec) => {
          const sample = await throughput((i) => calls[workload](codec, i), callers, settings.roundMs);
          failed[codec] += sample.failed;
          return sample.rate;
        };
        // One warm-up round each, not counted.
        for (const codec of CODECS) await rate(codec);
        for (const codec of CODECS) failed[codec] = 0;
        const samples = await interleave(CODECS, settings.rounds, rate);
        const rates = {} as Record<Codec, number>;
        const vsRaw = {} as Record<Codec, number>;
        CODECS.forEach((codec, i) => {
          rates[codec] = median(samples[i]!);
          vsRaw[codec] = pairedRatio(samples[i]!, samples[0]!);
        });
        rows.push({ workload, bytes, callers, rates, vsRaw, failed });
        progress(
          `values ${workload} ${bytes} B (${callers} callers): ${CODECS.map((c) => `${c} ${Math.round(rates[c])}/s (${failed[c]} failed)`).join(', ')}`,
        );
      }
    }
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()));
  }
  return rows;
}

export function renderValues(rows: readonly ValuesRow[]): string {
  const lines = [
    '### Values: codecs against raw (this library alone)',
    '',
    `| workload | value | callers | ${CODECS.join(' | ')} |`,
    `| --- | --- | --- | ${CODECS.map(() => '---').join(' | ')} |`,
  ];
  for (const row of rows) {
    const cells = CODECS.map(
      (c) =>
        `${Math.round(row.rates[c]).toLocaleString('en-US')}/s${c === 'raw' ? '' : ` (${row.vsRaw[c].toFixed(2)}x)`}`,
    );
    const failed = CODECS.reduce((sum, c) => sum + row.failed[c], 0);
    lines.push(
      `| ${row.workload} | ${row.bytes / 1024} KB JSON | ${row.callers} | ${cells.join(' | ')} |${failed ? ` ${failed} calls failed: not valid` : ''}`,
    );
  }
  return lines.join('\n');
}
