import type { ContenderName } from './contenders';
import type { RateRow } from './healthySuite';
import { pairedRatio } from './stats';

/** One performance target the report checks, with what was measured against its bar. */
export interface Target {
  readonly name: string;
  readonly met: boolean;
  /** The measured value against the bar, in words. */
  readonly measured: string;
}

export const OURS: ContenderName = 'reconnecting-memcached';
const META: ContenderName = 'reconnecting-memcached (meta)';
const TEXT: ContenderName = 'reconnecting-memcached (text)';
// Not rivals: the floor is the yardstick, and this library's own meta and text adapters.
const NOT_RIVALS: readonly ContenderName[] = [OURS, META, TEXT, 'floor'];
export const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** One contender's figures in a row of the healthy suite. */
type RateResult = RateRow['results'][string];

/** This library's adapters measured in a row, by protocol: meta and text only where the run had them. */
function mineOf(row: RateRow): [string, RateResult][] {
  const mine: [string, RateResult][] = [];
  for (const [label, name] of [
    ['binary', OURS],
    ['meta', META],
    ['text', TEXT],
  ] as const) {
    const result = row.results[name];
    if (result) mine.push([label, result]);
  }
  return mine;
}

const describe = (row: RateRow) =>
  row.workload === 'getMulti'
    ? `getMulti of ${row.size} keys, ${row.callers} caller${row.callers === 1 ? '' : 's'}`
    : `${row.workload} at ${row.size} caller${row.size === 1 ? '' : 's'}`;

/**
 * Calls per CPU-second of `mine` over `theirs`: the median over rounds of their CPU time per call
 * over ours in the same round (each round's pair ran under the same load).
 */
function perCpuSecond(mine: RateResult, theirs: RateResult): number {
  return pairedRatio(theirs.cpuSamples, mine.cpuSamples);
}

/**
 * The targets on get and set: CPU against the floor, no rival ahead. Meta against binary is the
 * parity suite's (paritySuite.ts): nine rounds cannot tell 5%.
 */
function protocolTargets(contenders: readonly ContenderName[], row: RateRow): Target[] {
  const out: Target[] = [];
  const ours = row.results[OURS];
  const meta = row.results[META];
  const floor = row.results.floor;
  if (!ours || !meta || (row.workload !== 'get' && row.workload !== 'set')) return out;
  const what = describe(row);
  if (row.size === 64) {
    if (floor) {
      for (const [label, mine] of mineOf(row)) {
        // The median of per-round ratios, like the rates: each round's pair ran under the same load,
        // and the floor's own CPU per call moved between 1.6 and 3.1 us from run to run.
        const cpu = pairedRatio(mine.cpuSamples, floor.cpuSamples);
        out.push({
          name: `${what}: ${label} CPU per call <= 1.18x the floor's`,
          met: cpu <= 1.18,
          measured: `${fixed(cpu, 2)}x (${fixed(mine.cpuPerCall, 2)} us vs ${fixed(floor.cpuPerCall, 2)} us)`,
        });
      }
    }
  }
  if (row.size === 1 || row.size === 64) {
    const rivals = contenders.filter((c) => !NOT_RIVALS.includes(c) && row.results[c]);
    for (const [label, mine] of mineOf(row)) {
      const worst = rivals
        .map((c) => ({ c, ratio: pairedRatio(mine.samples, row.results[c]!.samples) }))
        .sort((a, b) => a.ratio - b.ratio)[0];
      if (!worst) continue;
      out.push({
        name: `${what}: no rival beats ${label}`,
        met: worst.ratio >= 1,
        measured: `closest: ${fixed(worst.ratio, 3)}x ${worst.c}`,
      });
    }
  }
  return out;
}

/**
 * The speed bars every adapter (binary, meta, text) must clear against its peers: at 64 callers
 * at least 4x raw memjs's calls per CPU-second; at 1 caller (and for text at 64) at least the rate
 * of memjs and memcache-client; getMulti of 100 keys at least 4.5x memjs's per-key gets. Meta
 * within 5% of binary is the parity suite's (paritySuite.ts).
 */
function peerTargets(row: RateRow): Target[] {
  const out: Target[] = [];
  const what = describe(row);
  const memjs = row.results.memjs;
  const memcacheClient = row.results['memcache-client'];
  const singleKey = row.workload === 'get' || row.workload === 'set';
  for (const [label, mine] of mineOf(row)) {
    if (singleKey && row.size === 64 && memjs) {
      const ratio = perCpuSecond(mine, memjs);
      out.push({
        name: `${what}: ${label} calls per CPU-second >= 4x raw memjs's`,
        met: ratio >= 4,
        measured: `${fixed(ratio, 2)}x (${fixed(mine.cpuPerCall, 2)} us vs ${fixed(memjs.cpuPerCall, 2)} us per call)`,
      });
    }
    const againstRate = singleKey && (row.size === 1 || (row.size === 64 && label === 'text'));
    const peers = [
      ['memjs', memjs],
      ['memcache-client', memcacheClient],
    ] as const;
    for (const [peer, theirs] of peers) {
      if (!againstRate || !theirs || (peer === 'memjs' && row.size !== 1)) continue;
      const ratio = pairedRatio(mine.samples, theirs.samples);
      out.push({
        name: `${what}: ${label} calls per second >= 1.0x ${peer}`,
        met: ratio >= 1,
        measured: `${fixed(ratio, 3)}x (per CPU-second ${fixed(perCpuSecond(mine, theirs), 2)}x)`,
      });
    }
    if (row.workload === 'getMulti' && row.size === 100 && memjs) {
      const ratio = pairedRatio(mine.samples, memjs.samples);
      out.push({
        name: `${what}: ${label} >= 4.5x memjs per-key gets`,
        met: ratio >= 4.5,
        measured: `${fixed(ratio, 2)}x`,
      });
    }
  }
  return out;
}

/** Every target the healthy suite's rows cover. */
export function healthyTargets(contenders: readonly ContenderName[], rows: readonly RateRow[]): Target[] {
  const out: Target[] = [];
  for (const row of rows) out.push(...protocolTargets(contenders, row), ...peerTargets(row));
  for (const row of rows) {
    if ((row.workload === 'get' || row.workload === 'set') && row.size === 64) {
      const ratio = row.ratios.memjs ?? Number.NaN;
      out.push({
        name: `${row.workload} at 64 callers >= 0.97x raw memjs`,
        met: ratio >= 0.97,
        measured: `${fixed(ratio, 3)}x`,
      });
    }
    if (row.workload === 'getMulti' && row.size === 100) {
      const vsMemjs = row.ratios.memjs ?? Number.NaN;
      const vsMemcached = row.ratios.memcached ?? Number.NaN;
      const who = `${row.callers} caller${row.callers === 1 ? '' : 's'}`;
      out.push({
        name: `getMulti of 100 keys, ${who}: >= 5x memjs per-key gets`,
        met: vsMemjs >= 5,
        measured: `${fixed(vsMemjs, 2)}x`,
      });
      out.push({
        name: `getMulti of 100 keys, ${who}: not slower than the memcached package`,
        met: vsMemcached >= 1,
        measured: `${fixed(vsMemcached, 2)}x`,
      });
    }
  }
  return out;
}
