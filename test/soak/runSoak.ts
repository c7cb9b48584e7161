import { setTimeout as delay } from 'node:timers/promises';
import { type FaultMode, FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { activeResources, resourcesAbove, waitForResourcesAtBaseline } from '../support/activeResources';
import { type ChaosReport, ChaosRun } from '../support/ChaosRun';
import { seededRandom } from '../support/Traffic';

export interface SoakOptions {
  readonly seconds: number;
  readonly seed: number;
  /** Allowed growth of the heap used after a full GC, from warm-up to the end, in MB. */
  readonly maxHeapGrowthMb: number;
  /** Called with a progress line every `progressSeconds`. */
  readonly progress: (line: string) => void;
  readonly progressSeconds: number;
}

export interface SoakReport {
  readonly chaos: ChaosReport;
  readonly seconds: number;
  readonly faults: Readonly<Record<string, number>>;
  /** memjs ports (one per connection and probe) still reachable after close() and a full GC. */
  readonly portsReachable: number;
  readonly portsCreated: number;
  readonly heapBeforeMb: number;
  readonly heapAfterMb: number;
  readonly resourcesBefore: number;
  readonly resourcesAfter: number;
  readonly resourcesAbove: readonly string[];
  readonly healedAtEnd: boolean;
  readonly writesLanded: boolean;
  /** Why the soak failed; empty when it passed. */
  readonly failures: readonly string[];
}

type Fault = { readonly kind: string; readonly weight: number };

// Proxy faults are cheap and many; process faults (a frozen or killed memcached) are rarer.
const FAULTS: readonly Fault[] = [
  { kind: 'refuse', weight: 3 },
  { kind: 'blackhole', weight: 2 },
  { kind: 'reset', weight: 3 },
  { kind: 'delay', weight: 2 },
  { kind: 'trickle', weight: 1 },
  { kind: 'cut', weight: 2 },
  { kind: 'sigstop', weight: 1 },
  { kind: 'kill9', weight: 1 },
];

const MB = 1024 * 1024;

const hasGc = () => typeof (globalThis as { gc?: unknown }).gc === 'function';

function heapAfterGcMb(): number {
  // Without --expose-gc the figure is noisy but still printed; the CLI runs with it.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / MB;
}

/**
 * Mixed traffic through a fault proxy to a real memcached while random faults come and go, then
 * the link is left healthy and every invariant of the chaos suite is checked, plus heap growth.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const random = seededRandom(options.seed);
  const resourcesAtStart = activeResources();
  let server: MemcachedProcess = await startMemcached();
  const port = server.port;
  const proxy = await FaultProxy.start({ port });
  const run = new ChaosRun(
    proxy.address,
    { recoveryDelayMs: 20, maxRecoveryDelayMs: 200 },
    { workers: 4, keys: 256, largeBytes: 64 * 1024, largeEvery: 16, seed: options.seed },
  );
  const faults: Record<string, number> = {};
  const failures: string[] = [];
  let heapBeforeMb = 0;
  let healedAtEnd = false;
  let writesLanded = false;
  let chaos: ChaosReport | undefined;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;

  const pick = (): Fault => {
    let r = random() * FAULTS.reduce((sum, f) => sum + f.weight, 0);
    for (const fault of FAULTS) {
      r -= fault.weight;
      if (r < 0) return fault;
    }
    return FAULTS[0]!;
  };
  const inject = async (kind: string, holdMs: number) => {
    faults[kind] = (faults[kind] ?? 0) + 1;
    if (kind === 'sigstop') {
      server.process.kill('SIGSTOP');
      await delay(holdMs);
      server.process.kill('SIGCONT');
    } else if (kind === 'kill9') {
      await server.stop('SIGKILL');
      await delay(holdMs);
      server = await startMemcached({ port });
    } else {
      const modes: Record<string, FaultMode> = {
        refuse: { kind: 'refuse' },
        blackhole: { kind: 'blackhole' },
        reset: { kind: 'reset' },
        delay: { kind: 'delay', ms: 50 + Math.floor(random() * 250) },
        trickle: { kind: 'trickle' },
        cut: { kind: 'cut', afterBytes: 1000 + Math.floor(random() * 60_000) },
      };
      await proxy.setMode(modes[kind]!);
      await delay(holdMs);
      await proxy.setMode({ kind: 'pass' });
    }
  };

  try {
    await run.traffic.seed(port);
    run.traffic.start();
    await run.traffic.answered(200);
    // Warm-up done (JIT, buffers, the first connection): the heap baseline.
    heapBeforeMb = heapAfterGcMb();
    let nextProgress = options.progressSeconds;
    while (elapsed() < options.seconds) {
      // The fault schedule is the workload: healthy for a while, then a fault held for a while.
      await delay(100 + random() * 600);
      await inject(pick().kind, 100 + random() * 700);
      if (elapsed() >= nextProgress) {
        nextProgress += options.progressSeconds;
        const total = Object.values(faults).reduce((a, b) => a + b, 0);
        options.progress(
          `[soak] ${elapsed().toFixed(0)}s calls=${run.tracker.calls} hung=${run.tracker.hung} faults=${total} ` +
            `reconnects=${run.states.filter((s) => s === 'reconnecting').length} worst=${run.tracker.worstMs.toFixed(0)}ms ` +
            `heapAfterGc=${heapAfterGcMb().toFixed(1)}MB state=${run.cache.state}`,
        );
      }
    }
    // The link stays healthy now: the client must find its way back by itself.
    try {
      await run.entered('connected', run.states.lastIndexOf('reconnecting') + 1, 10_000);
      await run.traffic.answered(100, 10_000);
      healedAtEnd = true;
    } catch (err) {
      failures.push(`did not heal after the last fault: ${(err as Error).message}`);
    }
    await run.traffic.stop();
    writesLanded = healedAtEnd && (await run.writesLand(port));
    if (!writesLanded) failures.push('writes after the last fault did not land');
    chaos = await run.finish();
  } finally {
    run.dispose();
    await proxy.close();
    await server.stop();
  }

  if (!chaos) throw new Error('the soak ended without a report');
  // A turn of the loop first: a WeakRef's target stays alive to the end of the job that used it.
  await new Promise((resolve) => setImmediate(resolve));
  const heapAfterMb = heapAfterGcMb();
  const portsReachable = hasGc() ? run.census.reachable() : -1;
  // Exited processes and closed listeners release their handles a few loop turns later.
  await waitForResourcesAtBaseline(resourcesAtStart).catch(() => {});
  const above = resourcesAbove(resourcesAtStart);
  if (chaos.hung > 0) failures.push(`${chaos.hung} calls did not settle within ${chaos.limitMs} ms`);
  if (chaos.rejected > 0) failures.push(`${chaos.rejected} valid calls rejected`);
  if (chaos.processErrors.length > 0) failures.push(`unhandled errors: ${chaos.processErrors.map(String).join('; ')}`);
  if (chaos.corrupt.length > 0) failures.push(`corrupt hits: ${chaos.corrupt.join('; ')}`);
  if (chaos.maxOpenAtProbeStart > 0) failures.push('a probe started while another port was open');
  if (chaos.maxPingsInFlight > 1) failures.push(`${chaos.maxPingsInFlight} probes in flight at once`);
  if (!chaos.openAtDrop.every((n) => n === 0)) failures.push('a dropped connection was left open');
  if (chaos.openAfterClose > 0) failures.push(`${chaos.openAfterClose} ports open after close()`);
  if (chaos.leaked) failures.push(chaos.leaked);
  if (above.length > 0) failures.push(`resources above the start after teardown: ${above.join(', ')}`);
  if (portsReachable > 0) failures.push(`${portsReachable} memjs ports still reachable after close() and a GC`);
  if (heapAfterMb - heapBeforeMb > options.maxHeapGrowthMb) {
    failures.push(`heap grew ${(heapAfterMb - heapBeforeMb).toFixed(1)} MB (bound ${options.maxHeapGrowthMb} MB)`);
  }
  const count = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    chaos,
    seconds: elapsed(),
    faults,
    portsReachable,
    portsCreated: run.census.created,
    heapBeforeMb,
    heapAfterMb,
    resourcesBefore: count(resourcesAtStart),
    resourcesAfter: count(activeResources()),
    resourcesAbove: above,
    healedAtEnd,
    writesLanded,
    failures,
  };
}
