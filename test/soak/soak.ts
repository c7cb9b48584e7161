import { parseArgs } from 'node:util';
import { describeReport } from '../support/ChaosRun';
import { runSoak } from './runSoak';

// `npm run soak -- --seconds 300 [--seed 42] [--max-heap-growth-mb 8]`; SOAK_SECONDS and SOAK_SEED
// work too. Exits 1 on a hung call, a leak, heap growth past the bound, or any chaos invariant.

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.SOAK_SECONDS ?? '300' },
    seed: { type: 'string', default: process.env.SOAK_SEED ?? String(Date.now() % 100_000) },
    'max-heap-growth-mb': { type: 'string', default: '8' },
    'progress-seconds': { type: 'string', default: '10' },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`soak: --${name} must be a positive number, got ${text}`);
    process.exit(2);
  }
  return n;
}

const seconds = positive('seconds', values.seconds);
const seed = Math.floor(positive('seed', values.seed));
const maxHeapGrowthMb = positive('max-heap-growth-mb', values['max-heap-growth-mb']);
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  console.error('soak: run with --expose-gc for a meaningful heap figure (npm run soak does)');
}
console.log(`[soak] ${seconds}s, seed ${seed}, heap growth bound ${maxHeapGrowthMb} MB`);

const report = await runSoak({
  seconds,
  seed,
  maxHeapGrowthMb,
  progress: (line) => console.log(line),
  progressSeconds: positive('progress-seconds', values['progress-seconds']),
});
const { chaos } = report;
const faults = Object.entries(report.faults)
  .map(([kind, n]) => `${kind}=${n}`)
  .join(' ');
console.log(describeReport('soak', { ...chaos, states: [] }));
console.log(
  [
    `[soak] ran ${report.seconds.toFixed(1)}s with seed ${seed}`,
    `calls ${chaos.calls}, hung ${chaos.hung}, rejected ${chaos.rejected}, worst latency ${chaos.worstMs.toFixed(1)} ms (limit ${chaos.limitMs} ms)`,
    `faults injected ${Object.values(report.faults).reduce((a, b) => a + b, 0)}: ${faults}`,
    `state changes ${chaos.states.length}, reconnects ${chaos.states.filter((s) => s === 'reconnecting').length}, probes ${chaos.probes}, max probes in flight ${chaos.maxPingsInFlight}`,
    `memjs ports created ${report.portsCreated}, still reachable after close() and GC ${report.portsReachable < 0 ? 'unknown (no --expose-gc)' : report.portsReachable}`,
    `heap after GC ${report.heapBeforeMb.toFixed(1)} MB -> ${report.heapAfterMb.toFixed(1)} MB (bound +${maxHeapGrowthMb} MB)`,
    `active resources ${report.resourcesBefore} -> ${report.resourcesAfter}`,
    `healed at the end: ${report.healedAtEnd}, writes landed: ${report.writesLanded}`,
  ].join('\n[soak] '),
);
if (report.failures.length > 0) {
  console.error(`[soak] FAILED:\n  ${report.failures.join('\n  ')}`);
  process.exit(1);
}
console.log('[soak] passed');
