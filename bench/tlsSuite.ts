import { type MemcachedProcess, startMemcached } from '../src/testing/memcached';
import { makeTestCertificates } from '../src/testing/tlsCertificates';
import { hitKey, VALUE_BYTES } from './healthySuite';
import type { Target } from './healthyTargets';
import type { Library } from './library';
import { RawSocketClient } from './RawSocketClient';
import { type Side, type SideBySideSettings, sideBySide, sideBySideRounds } from './sideBySide';
import { pairedRatio } from './stats';

export const PROTOCOLS = ['binary', 'meta', 'text'] as const;
type Protocol = (typeof PROTOCOLS)[number];
/** The rows with no client: a bare `node:net` socket against a bare `node:tls` one. */
export const RAW_SOCKETS = 'none (raw sockets)';

export interface TlsSettings extends SideBySideSettings {
  readonly callers: readonly number[];
}

export interface TlsRow {
  readonly protocol: Protocol | typeof RAW_SOCKETS;
  /** `get`. */
  readonly workload: string;
  readonly callers: number;
  readonly tcp: Side;
  readonly tls: Side;
  /** Median over rounds of the CPU time per call over TLS / over plain TCP in the same round. */
  readonly cpuRatio: number;
  /** Median over rounds of the rate over TLS / over plain TCP in the same round. */
  readonly rateRatio: number;
}

/** What TLS may cost in CPU per call, as a multiple of plain TCP's. */
export const TLS_CPU_BAR = 1.25;

/**
 * What TLS costs this library's client process in CPU per call: get of 100-byte values at each
 * number of callers, over each protocol, against a memcached over plain TCP and one over TLS
 * (memcached -Z, a throwaway CA), both with one worker thread (`-t 1`), in interleaved rounds.
 * Then the same with no client (RAW_SOCKETS): what Node's own sockets cost, TLS against TCP.
 */
export async function tlsSuite(
  lib: Library,
  settings: TlsSettings,
  progress: (line: string) => void,
): Promise<TlsRow[]> {
  const certs = makeTestCertificates();
  const servers: MemcachedProcess[] = [];
  const clients: Array<ReturnType<Library['createClient']>> = [];
  const rawSockets: RawSocketClient[] = [];
  try {
    const oneThread = ['-t', '1'];
    servers.push(
      await startMemcached({ args: oneThread }),
      await startMemcached({ tls: { chainCert: certs.serverCert.path, key: certs.serverKey.path }, args: oneThread }),
    );
    const tls = { tls: { ca: certs.ca.pem } };
    const value = Buffer.alloc(VALUE_BYTES, 'v');
    const rows: TlsRow[] = [];
    for (const protocol of PROTOCOLS) {
      // A 1 s deadline: on a loaded machine the default 100 ms fails calls, and the figures would
      // measure the deadline instead of the transport.
      const pair = [
        lib.createClient({ servers: [servers[0]!.address], protocol, timeoutMs: 1000 }),
        lib.createClient({ servers: [servers[1]!.address], protocol, timeoutMs: 1000, ...tls }),
      ] as const;
      clients.push(...pair);
      if (protocol === PROTOCOLS[0]) {
        for (const client of pair) {
          for (let i = 0; i < 1000; i++)
            if (!(await client.set({ key: hitKey(i), value }))) throw new Error('seed failed');
        }
      }
      for (const callers of settings.callers) {
        const [tcp, secure] = await sideBySide(pair, (c, i) => c.get(hitKey(i)), callers, settings);
        const row: TlsRow = {
          protocol,
          workload: 'get',
          callers,
          tcp: tcp!,
          tls: secure!,
          cpuRatio: pairedRatio(secure!.cpuSamples, tcp!.cpuSamples),
          rateRatio: pairedRatio(secure!.samples, tcp!.samples),
        };
        rows.push(row);
        progress(progressLine(row));
      }
    }
    rawSockets.push(
      await RawSocketClient.connect(servers[0]!.address),
      await RawSocketClient.connect(servers[1]!.address, tls.tls),
    );
    for (const callers of settings.callers) {
      const [tcp, secure] = await sideBySideRounds(
        rawSockets.length,
        (index) => rawSockets[index]!.round(hitKey(0), callers, settings.roundMs),
        callers,
        settings,
      );
      const row: TlsRow = {
        protocol: RAW_SOCKETS,
        workload: 'get',
        callers,
        tcp: tcp!,
        tls: secure!,
        cpuRatio: pairedRatio(secure!.cpuSamples, tcp!.cpuSamples),
        rateRatio: pairedRatio(secure!.samples, tcp!.samples),
      };
      rows.push(row);
      progress(progressLine(row));
    }
    return rows;
  } finally {
    for (const socket of rawSockets) socket.close();
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.stop()));
    certs.remove();
  }
}

const callersOf = (n: number) => `${n} caller${n === 1 ? '' : 's'}`;

function progressLine(row: TlsRow): string {
  const { tcp, tls } = row;
  return `${row.protocol} ${row.workload} over tcp/tls (${callersOf(row.callers)}): ${Math.round(tcp.median)}/s ${tcp.cpuPerCall.toFixed(2)} us, ${Math.round(tls.median)}/s ${tls.cpuPerCall.toFixed(2)} us; TLS CPU per call ${row.cpuRatio.toFixed(2)}x TCP's`;
}

/**
 * TLS's CPU per call at most TLS_CPU_BAR times plain TCP's, per protocol and number of callers.
 * The raw-socket rows are no target: they say how much of that cost is Node's own.
 */
export function tlsTargets(rows: readonly TlsRow[]): Target[] {
  return rows
    .filter((row) => row.protocol !== RAW_SOCKETS)
    .map((row) => ({
      name: `${row.protocol} ${row.workload} at ${row.callers} caller${row.callers === 1 ? '' : 's'}: TLS CPU per call <= ${TLS_CPU_BAR}x plain TCP's`,
      met: row.cpuRatio <= TLS_CPU_BAR,
      measured: `${row.cpuRatio.toFixed(2)}x (${row.tls.cpuPerCall.toFixed(2)} us vs ${row.tcp.cpuPerCall.toFixed(2)} us)`,
    }));
}

/** The rows as a markdown table. */
export function renderTls(rows: readonly TlsRow[]): string {
  if (rows.length === 0) return '';
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const failed = (row: TlsRow) =>
    row.tcp.failed + row.tls.failed > 0 ? ` (failed calls: tcp ${row.tcp.failed}, tls ${row.tls.failed})` : '';
  const lines = [
    `### TLS against plain TCP: CPU time of the client process per call (memcached -t 1, median of ${rows[0]!.tcp.samples.length} interleaved rounds)`,
    '',
    'ratio = median over rounds of the figure over TLS / the figure over TCP in the same round',
    '',
    '| protocol | workload | TCP calls/s | TLS calls/s | TCP us per call | TLS us per call | TLS vs TCP, CPU per call | TLS vs TCP, rate |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.protocol} | ${row.workload}, ${callersOf(row.callers)}${failed(row)} | ${int(row.tcp.median)} | ${int(row.tls.median)} | ${row.tcp.cpuPerCall.toFixed(2)} | ${row.tls.cpuPerCall.toFixed(2)} | ${row.cpuRatio.toFixed(2)}x | ${row.rateRatio.toFixed(2)}x |`,
    );
  }
  return `${lines.join('\n')}\n${renderNodeTlsCost(rows)}`;
}

/** The raw-socket rows beside this library's, per number of callers: reported, not a target. */
function renderNodeTlsCost(rows: readonly TlsRow[]): string {
  const raw = rows.filter((row) => row.protocol === RAW_SOCKETS);
  if (raw.length === 0) return '';
  const protocols = PROTOCOLS.filter((p) => rows.some((row) => row.protocol === p));
  const ratio = (protocol: string, callers: number) => {
    const row = rows.find((r) => r.protocol === protocol && r.callers === callers);
    return row ? `${row.cpuRatio.toFixed(2)}x` : '-';
  };
  const lines = [
    '',
    "#### Node's own TLS cost (reported, not a target)",
    '',
    'No client: a bare `node:net` socket and a bare `node:tls` socket to the same two memcached, sending',
    'meta gets of one key, 1 at a time or 64 in one write (the next write when all 64 answers are in).',
    '',
    `| callers | raw sockets: TLS vs TCP, CPU per call | ${protocols.map((p) => `${p}: TLS vs TCP`).join(' | ')} |`,
    `|---:|---:|${protocols.map(() => '---:').join('|')}|`,
  ];
  for (const row of raw) {
    lines.push(
      `| ${row.callers} | ${row.cpuRatio.toFixed(2)}x | ${protocols.map((p) => ratio(p, row.callers)).join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
