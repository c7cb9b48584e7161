import { type CommandRow, commandTargets, renderCommands } from './commandsSuite';
import type { ContenderName } from './contenders';
import type { RateRow } from './healthySuite';
import { fixed, healthyTargets, OURS, type Target } from './healthyTargets';
import type { MemoryResult } from './memorySuite';
import type { OutageResult } from './outageSuite';
import { type ParityRow, parityTargets, renderParity } from './paritySuite';
import { type ProxyRow, renderProxy } from './proxySuite';
import type { RecoveryResult } from './recoverySuite';
import { median } from './stats';
import { renderTls, type TlsRow, tlsTargets } from './tlsSuite';
import { renderTransports, type TransportRow } from './transportSuite';

export type { Target } from './healthyTargets';

export interface BenchResults {
  readonly environment: Record<string, unknown>;
  readonly contenders: readonly ContenderName[];
  healthy?: RateRow[];
  parity?: ParityRow[];
  commands?: CommandRow[];
  transport?: TransportRow[];
  tls?: TlsRow[];
  proxy?: ProxyRow[];
  outage?: OutageResult[];
  recovery?: RecoveryResult;
  memory?: MemoryResult;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const micros = (us: number) =>
  us >= 1_000_000
    ? `${(us / 1_000_000).toFixed(2)} s`
    : us >= 1000
      ? `${(us / 1000).toFixed(1)} ms`
      : `${us.toFixed(1)} us`;

/** Checks every speed, outage and memory target that the results cover. */
export function targets(r: BenchResults): Target[] {
  const out: Target[] = healthyTargets(r.contenders, r.healthy ?? []);
  if (r.parity) out.push(...parityTargets(r.parity));
  if (r.commands) out.push(...commandTargets(r.commands));
  if (r.tls) out.push(...tlsTargets(r.tls));
  for (const kind of ['refused', 'blackhole'] as const) {
    const rows = (r.outage ?? []).filter((o) => o.kind === kind);
    const ours = rows.find((o) => o.contender === OURS);
    if (!ours) continue;
    const memjs = rows.find((o) => o.contender === 'memjs');
    const opossum = rows.find((o) => o.contender === 'memjs+opossum');
    out.push({
      name: `${kind}: p99 while reconnecting <= 20 us`,
      met: ours.failFast && ours.latency.p99 <= 20,
      measured: micros(ours.latency.p99),
    });
    if (memjs) {
      const speedup = memjs.latency.p99 / ours.latency.p99;
      out.push({
        name: `${kind}: p99 >= 10,000x faster than raw memjs`,
        met: speedup >= 10_000,
        measured: `${int(speedup)}x`,
      });
    }
    if (opossum) {
      out.push({
        name: `${kind}: p99 faster than opossum's open-circuit rejection`,
        met: ours.latency.p99 < opossum.latency.p99,
        measured: `${micros(ours.latency.p99)} vs ${micros(opossum.latency.p99)}`,
      });
    }
  }
  if (r.recovery) {
    const { settings, trials } = r.recovery;
    const blackhole = trials.filter((t) => t.kind === 'blackhole');
    const worstDetect = Math.max(...blackhole.map((t) => t.detectMs));
    out.push({
      name: `black-hole detection under ${settings.callers} callers <= 1.5 x timeoutMs (${1.5 * settings.timeoutMs} ms)`,
      met: worstDetect <= 1.5 * settings.timeoutMs,
      measured: `worst ${fixed(worstDetect, 1)} ms`,
    });
    // Per refused-outage trial: memcached's return to connected, against the wait the schedule
    // still had plus one probe round trip: the slowest of the run's reference probes to a freshly
    // started memcached, timed under the same traffic (three per trial). The comparison
    // with each trial's own reference is reported alongside. Black-hole trials are not checked: a
    // thawed memcached first works through what was buffered while it was frozen.
    const restarts = trials.filter((t) => t.kind === 'refused');
    const colds = trials.flatMap((t) => t.referenceProbeMs.cold);
    const slowestCold = Math.max(...colds);
    const late = restarts.filter((t) => t.healMs > t.scheduledWaitMs + slowestCold);
    const lateInTrial = restarts.filter((t) => t.healMs > t.scheduledWaitMs + Math.max(...t.referenceProbeMs.cold));
    out.push({
      name: 'healing (refused outage) <= scheduled wait + one probe round trip, every trial',
      met: restarts.length > 0 && late.length === 0,
      measured: `worst ${fixed(Math.max(...restarts.map((t) => t.overScheduleMs)), 2)} ms over schedule (timer late up to ${fixed(Math.max(...restarts.map((t) => t.timerLateMs)), 2)} ms); probes to a fresh memcached under traffic: median ${fixed(median(colds), 2)} ms, slowest ${fixed(slowestCold, 2)} ms; ${restarts.length - lateInTrial.length}/${restarts.length} trials also within their own trial's slowest`,
    });
  }
  if (r.memory) {
    const { before, after } = r.memory;
    const growth = after.heapUsedBytes - before.heapUsedBytes;
    out.push({ name: 'heap growth over the flapping run < 5 MB', met: growth < 5 * 2 ** 20, measured: mb(growth) });
    const grown = Object.keys(after.handles).filter((k) => (after.handles[k] ?? 0) > (before.handles[k] ?? 0));
    out.push({
      name: 'no growth in active handles',
      met: grown.length === 0,
      measured:
        grown.length === 0
          ? 'none grew'
          : grown.map((k) => `${k} ${before.handles[k] ?? 0} -> ${after.handles[k]}`).join(', '),
    });
  }
  return out;
}

/** The results as markdown tables. */
export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const others = r.contenders.filter((c) => c !== OURS);
  if (r.healthy?.length) {
    const rounds = r.healthy[0]!.results[OURS]?.samples.length ?? 0;
    lines.push(
      `### Healthy: calls per second (median of ${rounds} interleaved rounds)`,
      '',
      `ratio = median over rounds of this library's rate / the other's rate in the same round`,
      '',
      `| workload | ${r.contenders.join(' | ')} | ${others.map((o) => `vs ${o}`).join(' | ')} |`,
      `|---|${r.contenders.map(() => '---:').join('|')}|${others.map(() => '---:').join('|')}|`,
    );
    for (const row of r.healthy) {
      const callers = `${row.callers} caller${row.callers === 1 ? '' : 's'}`;
      const label =
        row.workload === 'getMulti' ? `getMulti ${row.size} keys, ${callers}` : `${row.workload}, ${callers}`;
      const failed = r.contenders.some((c) => (row.results[c]?.failed ?? 0) > 0)
        ? ` (failed calls: ${r.contenders.map((c) => `${c} ${row.results[c]?.failed ?? 0}`).join(', ')})`
        : '';
      lines.push(
        `| ${label}${failed} | ${r.contenders.map((c) => int(row.results[c]?.median ?? Number.NaN)).join(' | ')} | ${others
          .map((o) => `${fixed(row.ratios[o] ?? Number.NaN, 2)}x`)
          .join(' | ')} |`,
      );
    }
    lines.push(
      '',
      '### Healthy: CPU time of the client process per call, in microseconds (median of the rounds)',
      '',
      `| workload | ${r.contenders.join(' | ')} |`,
      `|---|${r.contenders.map(() => '---:').join('|')}|`,
    );
    for (const row of r.healthy.filter((h) => h.workload !== 'getMulti')) {
      lines.push(
        `| ${row.workload}, ${row.callers} caller${row.callers === 1 ? '' : 's'} | ${r.contenders.map((c) => fixed(row.results[c]?.cpuPerCall ?? Number.NaN, 2)).join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (r.parity?.length) lines.push(renderParity(r.parity));
  if (r.commands?.length) lines.push(renderCommands(r.commands));
  if (r.transport?.length) lines.push(renderTransports(r.transport));
  if (r.tls?.length) lines.push(renderTls(r.tls));
  if (r.proxy?.length) lines.push(renderProxy(r.proxy));
  if (r.outage?.length) {
    lines.push(
      '### While memcached is down: latency per call',
      '',
      '| outage | client | fail-fast mode | p50 | p99 | max | unanswered |',
      '|---|---|---|---:|---:|---:|---:|',
    );
    for (const o of r.outage) {
      lines.push(
        `| ${o.kind} | ${o.contender} | ${o.failFast ? 'yes' : 'no'} | ${micros(o.latency.p50)} | ${micros(o.latency.p99)} | ${micros(o.latency.max)} | ${o.unanswered} |`,
      );
    }
    lines.push('');
  }
  if (r.recovery) {
    const { settings, trials, probeRttMs } = r.recovery;
    lines.push(
      `### Detection and healing (${settings.callers} callers, timeoutMs ${settings.timeoutMs}, probe delay in [${settings.recoveryDelayMs}, ${2 * settings.recoveryDelayMs}) ms)`,
      '',
      '| outage | trials | detect median | detect worst | heal median | heal worst | scheduled wait at return (median) | heal over schedule, worst | of it: timer late, worst | of it: healing probe, worst | reference probe to a fresh memcached, median / worst (then warm, median) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const kind of ['blackhole', 'refused'] as const) {
      const ts = trials.filter((t) => t.kind === kind);
      if (ts.length === 0) continue;
      const detect = ts.map((t) => t.detectMs);
      const heal = ts.map((t) => t.healMs);
      lines.push(
        `| ${kind} | ${ts.length} | ${fixed(median(detect), 1)} ms | ${fixed(Math.max(...detect), 1)} ms | ${fixed(median(heal), 2)} ms | ${fixed(Math.max(...heal), 2)} ms | ${fixed(median(ts.map((t) => t.scheduledWaitMs)), 2)} ms | ${fixed(Math.max(...ts.map((t) => t.overScheduleMs)), 2)} ms | ${fixed(Math.max(...ts.map((t) => t.timerLateMs)), 2)} ms | ${fixed(Math.max(...ts.map((t) => t.probeMs)), 2)} ms | ${fixed(median(ts.flatMap((t) => t.referenceProbeMs.cold)), 2)} / ${fixed(Math.max(...ts.flatMap((t) => t.referenceProbeMs.cold)), 2)} ms (${fixed(median(ts.flatMap((t) => t.referenceProbeMs.warm)), 2)} ms) |`,
      );
    }
    lines.push(
      '',
      `A probe with no traffic (fresh client, ping): median ${fixed(probeRttMs.median, 2)} ms, max ${fixed(probeRttMs.max, 2)} ms.`,
      '',
    );
  }
  if (r.memory) {
    const m = r.memory;
    const kinds = [...new Set([...Object.keys(m.before.handles), ...Object.keys(m.after.handles)])].sort();
    lines.push(
      `### Memory: ${int(m.calls)} calls with ${m.cycles} outages (real memcached and memjs) in ${fixed(m.seconds, 1)} s`,
      '',
      '| | before | after | growth |',
      '|---|---:|---:|---:|',
      `| heap used | ${mb(m.before.heapUsedBytes)} | ${mb(m.after.heapUsedBytes)} | ${mb(m.after.heapUsedBytes - m.before.heapUsedBytes)} |`,
      `| RSS | ${mb(m.before.rssBytes)} | ${mb(m.after.rssBytes)} | ${mb(m.after.rssBytes - m.before.rssBytes)} |`,
      ...kinds.map(
        (k) =>
          `| active ${k} | ${m.before.handles[k] ?? 0} | ${m.after.handles[k] ?? 0} | ${(m.after.handles[k] ?? 0) - (m.before.handles[k] ?? 0)} |`,
      ),
      '',
    );
  }
  const checked = targets(r);
  if (checked.length) {
    lines.push('### Targets', '', '| target | measured | met |', '|---|---|---|');
    for (const t of checked) lines.push(`| ${t.name} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  return lines.join('\n');
}
