import { type MemcachedProcess, startMemcached } from '../src/testing/memcached';
import { type NutcrackerProcess, startNutcracker } from '../test/support/nutcracker';
import { hitKey, VALUE_BYTES } from './healthySuite';
import type { Library } from './library';
import { type Side, type SideBySideSettings, sideBySide } from './sideBySide';
import { pairedRatio } from './stats';

export interface ProxySettings extends SideBySideSettings {
  readonly callers: number;
}

export interface ProxyRow {
  /** `get` or `set`. */
  readonly workload: string;
  readonly callers: number;
  readonly direct: Side;
  readonly proxy: Side;
  /** Median over rounds of the rate through the proxy / straight to memcached in the same round. */
  readonly rateRatio: number;
  /** Median over rounds of the client's CPU time per call through the proxy / straight to memcached. */
  readonly cpuRatio: number;
}

/**
 * This library over `protocol: 'text'` through twemproxy (nutcracker) in front of one memcached,
 * against the same memcached directly, in interleaved rounds: what the hop costs. Reported, with no
 * target: nutcracker is one more process on the same machine, and its cost is its own.
 */
export async function proxySuite(
  lib: Library,
  settings: ProxySettings,
  progress: (line: string) => void,
): Promise<ProxyRow[]> {
  let memcached: MemcachedProcess | undefined;
  let proxy: NutcrackerProcess | undefined;
  const clients: Array<ReturnType<Library['createClient']>> = [];
  try {
    memcached = await startMemcached();
    try {
      proxy = await startNutcracker({ backends: [memcached.address] });
    } catch (err) {
      // Without nutcracker the other suites' figures still count: this one is left out, and says why.
      progress(`proxy suite skipped: ${(err as Error).message}`);
      return [];
    }
    // A 1 s deadline (nutcracker's own is 1 s): on a loaded machine the default 100 ms fails
    // calls, and the rates would measure the deadline instead of the hop.
    for (const address of [memcached.address, proxy.address])
      clients.push(lib.createClient({ servers: [address], protocol: 'text', timeoutMs: 1000 }));
    const value = Buffer.alloc(VALUE_BYTES, 'v');
    for (let i = 0; i < 1000; i++)
      if (!(await clients[0]!.set({ key: hitKey(i), value }))) throw new Error('seed failed');
    const workloads = [
      { workload: 'get', call: (c: (typeof clients)[number], i: number) => c.get(hitKey(i)) },
      { workload: 'set', call: (c: (typeof clients)[number], i: number) => c.set({ key: hitKey(i), value }) },
    ];
    const rows: ProxyRow[] = [];
    for (const w of workloads) {
      const [direct, proxied] = await sideBySide(clients, w.call, settings.callers, settings);
      const row: ProxyRow = {
        workload: w.workload,
        callers: settings.callers,
        direct: direct!,
        proxy: proxied!,
        rateRatio: pairedRatio(proxied!.samples, direct!.samples),
        cpuRatio: pairedRatio(proxied!.cpuSamples, direct!.cpuSamples),
      };
      rows.push(row);
      progress(
        `text ${w.workload} direct/through nutcracker (${settings.callers} callers): ${Math.round(direct!.median)}/s, ${Math.round(proxied!.median)}/s; ${row.rateRatio.toFixed(2)}x the direct rate`,
      );
    }
    return rows;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.stop();
    await memcached?.stop();
  }
}

/** The rows as a markdown table. */
export function renderProxy(rows: readonly ProxyRow[]): string {
  if (rows.length === 0) return '';
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const failed = (row: ProxyRow) =>
    row.direct.failed + row.proxy.failed > 0
      ? ` (failed calls: direct ${row.direct.failed}, through nutcracker ${row.proxy.failed})`
      : '';
  const lines = [
    `### Through twemproxy (nutcracker): \`protocol: 'text'\`, calls per second (median of ${rows[0]!.direct.samples.length} interleaved rounds)`,
    '',
    'ratio = median over rounds of the figure through nutcracker / the figure straight to memcached in the same round',
    '',
    '| workload | direct | through nutcracker | rate, nutcracker vs direct | client CPU per call, direct | through nutcracker | CPU per call, nutcracker vs direct |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.workload}, ${row.callers} callers${failed(row)} | ${int(row.direct.median)} | ${int(row.proxy.median)} | ${row.rateRatio.toFixed(2)}x | ${row.direct.cpuPerCall.toFixed(2)} us | ${row.proxy.cpuPerCall.toFixed(2)} us | ${row.cpuRatio.toFixed(2)}x |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
