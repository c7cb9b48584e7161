import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { type MemcachedProcess, startMemcached, tempSocketPath } from '../src/testing/memcached';
import { makeTestCertificates } from '../src/testing/tlsCertificates';
import { hitKey, VALUE_BYTES } from './healthySuite';
import type { Library } from './library';
import { interleave, throughput } from './measure';
import { median, pairedRatio } from './stats';

export const TRANSPORTS = ['tcp', 'tls', 'unix'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export interface TransportSettings {
  readonly rounds: number;
  readonly roundMs: number;
  readonly callers: number;
}

export interface TransportRow {
  /** `get` or `set`. */
  readonly workload: string;
  readonly callers: number;
  /** Calls per second of this library over each transport: each round's rate, and their median. */
  readonly results: Record<
    TransportName,
    { readonly samples: number[]; readonly median: number; readonly failed: number }
  >;
  /** Median over rounds of the rate over TLS (or a UNIX socket) / the rate over plain TCP in the same round. */
  readonly ratios: { readonly tls: number; readonly unix: number };
}

/**
 * This library's get and set of 100-byte values at `callers` callers, over plain TCP, TLS (memcached
 * -Z, a throwaway CA) and a UNIX socket (memcached -s), each against its own memcached on this
 * machine (same flags otherwise), in interleaved rounds after a warm-up round each: what TLS and a
 * UNIX socket cost relative to TCP in the same run.
 */
export async function transportSuite(
  lib: Library,
  settings: TransportSettings,
  progress: (line: string) => void,
): Promise<TransportRow[]> {
  const certs = makeTestCertificates();
  const socketPath = tempSocketPath();
  const servers: MemcachedProcess[] = [];
  const clients: Array<ReturnType<Library['createClient']>> = [];
  try {
    servers.push(
      await startMemcached(),
      await startMemcached({ tls: { chainCert: certs.serverCert.path, key: certs.serverKey.path } }),
      await startMemcached({ unixSocket: socketPath }),
    );
    const options = [{}, { tls: { ca: certs.ca.pem } }, {}];
    servers.forEach((server, i) => {
      // A 1 s deadline: on a loaded machine the default 100 ms fails calls, and the rates would
      // measure the deadline instead of the transport.
      clients.push(lib.createClient({ servers: [server.address], timeoutMs: 1000, ...options[i] }));
    });
    const value = Buffer.alloc(VALUE_BYTES, 'v');
    for (const client of clients) {
      for (let i = 0; i < 1000; i++) if (!(await client.set({ key: hitKey(i), value }))) throw new Error('seed failed');
    }
    const workloads = [
      { workload: 'get', call: (c: (typeof clients)[number], i: number) => c.get(hitKey(i)) },
      { workload: 'set', call: (c: (typeof clients)[number], i: number) => c.set({ key: hitKey(i), value }) },
    ];
    const rows: TransportRow[] = [];
    for (const w of workloads) {
      const failed = [0, 0, 0];
      const run = async (index: number) => {
        const sample = await throughput((i) => w.call(clients[index]!, i), settings.callers, settings.roundMs);
        failed[index]! += sample.failed;
        return sample.rate;
      };
      for (let i = 0; i < clients.length; i++) await run(i); // warm-up
      failed.fill(0);
      const samples = await interleave([0, 1, 2], settings.rounds, run);
      const results = Object.fromEntries(
        TRANSPORTS.map((t, i) => [t, { samples: samples[i]!, median: median(samples[i]!), failed: failed[i]! }]),
      ) as TransportRow['results'];
      const row: TransportRow = {
        workload: w.workload,
        callers: settings.callers,
        results,
        ratios: { tls: pairedRatio(samples[1]!, samples[0]!), unix: pairedRatio(samples[2]!, samples[0]!) },
      };
      rows.push(row);
      progress(
        `${w.workload} over tcp/tls/unix (${settings.callers} callers): ${TRANSPORTS.map((t) => `${t} ${Math.round(results[t].median)}/s`).join(', ')}; tls ${row.ratios.tls.toFixed(2)}x, unix ${row.ratios.unix.toFixed(2)}x of tcp`,
      );
    }
    return rows;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dirname(socketPath), { recursive: true, force: true });
    certs.remove();
  }
}

/** The rows as a markdown table. */
export function renderTransports(rows: readonly TransportRow[]): string {
  if (rows.length === 0) return '';
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    `### Transports: calls per second of this library (median of ${rows[0]!.results.tcp.samples.length} interleaved rounds)`,
    '',
    'ratio = median over rounds of the rate over TLS (or a UNIX socket) / the rate over TCP in the same round',
    '',
    '| workload | TCP | TLS | UNIX socket | TLS vs TCP | UNIX vs TCP |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const failed = TRANSPORTS.some((t) => row.results[t].failed > 0)
      ? ` (failed calls: ${TRANSPORTS.map((t) => `${t} ${row.results[t].failed}`).join(', ')})`
      : '';
    lines.push(
      `| ${row.workload}, ${row.callers} callers${failed} | ${TRANSPORTS.map((t) => int(row.results[t].median)).join(' | ')} | ${row.ratios.tls.toFixed(2)}x | ${row.ratios.unix.toFixed(2)}x |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
