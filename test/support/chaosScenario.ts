import { expect } from 'vitest';
import type { ClientOptions } from '../../src/config/options';
import { type ChaosReport, ChaosRun, describeReport } from './ChaosRun';
import type { TrafficOptions } from './Traffic';

/** What a scenario's setup started: where the client connects, and how to break and repair it. */
export interface ChaosWorld {
  /** The `servers` option of the client (memcached itself or a proxy in front of it). */
  readonly servers: string;
  /** The port of the real memcached now, to read back what was written (it may move on restart). */
  memcachedPort(): number;
  fault(): Promise<void>;
  heal(): Promise<void>;
  /** False for faults that only hurt large responses: the small probe then gets through. */
  readonly probesFail: boolean;
  /** Whether memcached still holds what was written before the fault (false after a restart). */
  readonly keepsData: boolean;
  /** Scenario-specific checks once healed. */
  afterHeal?(run: ChaosRun): Promise<void>;
  teardown(): Promise<void>;
}

export interface ChaosScenario {
  readonly name: string;
  readonly options?: Partial<ClientOptions>;
  readonly traffic?: TrafficOptions;
  setup(): Promise<ChaosWorld>;
}

/**
 * Traffic, fault, reconnecting, (a probe fails if it should), repair, connected, writes land,
 * close. Then every invariant of the chaos suite is asserted on the run's report.
 */
export async function runHealing(scenario: ChaosScenario): Promise<ChaosReport> {
  const world = await scenario.setup();
  const run = new ChaosRun(world.servers, scenario.options, scenario.traffic);
  try {
    await run.traffic.seed(world.memcachedPort());
    const witnesses = await writeWitnesses(run);
    run.traffic.start();
    await run.traffic.answered(50);
    const beforeFault = run.states.length;
    await world.fault();
    const dropped = await run.entered('reconnecting', beforeFault);
    if (world.probesFail) await run.waitForFailedProbes(1);
    await world.heal();
    await run.entered('connected', dropped);
    await run.traffic.answered(50);
    await run.traffic.stop();
    expect(await run.writesLand(world.memcachedPort())).toBe(true);
    await expectWitnesses(run, witnesses, world.keepsData);
    await world.afterHeal?.(run);
    const report = await run.finish();
    console.log(describeReport(`${scenario.name} / heals`, report));
    expectInvariants(report);
    expect(report.states.at(-2)).toBe('connected');
    expect(report.states.at(-1)).toBe('closed');
    return report;
  } finally {
    run.dispose();
    await world.teardown();
  }
}

// Keys the traffic never touches: after healing they must all be there (the same memcached) or
// all be misses (a restarted one), and never an error or another value.
async function writeWitnesses(run: ChaosRun): Promise<string[]> {
  const keys = Array.from({ length: 4 }, (_, i) => `witness:${i}`);
  const stored = await Promise.all(keys.map((key) => run.cache.set({ key, value: `w:${key}` })));
  expect(stored).toEqual(keys.map(() => true));
  return keys;
}

async function expectWitnesses(run: ChaosRun, keys: string[], kept: boolean): Promise<void> {
  const many = await run.cache.getMulti(keys);
  if (!many.ok) throw new Error(`getMulti of the witnesses not ok: ${many.reason}`);
  expect([...many.items.keys()].sort()).toEqual(kept ? keys : []);
  for (const key of keys) {
    const one = await run.cache.get(key);
    expect(one).toEqual({ ok: true, item: kept ? { key, value: Buffer.from(`w:${key}`), flags: 0 } : undefined });
  }
}

/**
 * Traffic, fault, then close(): either at once (`fault`: calls still in flight on the failing
 * connection) or once reconnecting with a probe in flight (`probing`).
 */
export async function runCloseMidway(scenario: ChaosScenario, at: 'fault' | 'probing'): Promise<ChaosReport> {
  const world = await scenario.setup();
  const run = new ChaosRun(world.servers, scenario.options, scenario.traffic);
  try {
    await run.traffic.seed(world.memcachedPort());
    run.traffic.start();
    await run.traffic.answered(50);
    const beforeFault = run.states.length;
    await world.fault();
    if (at === 'probing') {
      await run.entered('reconnecting', beforeFault);
      await run.waitForProbing();
    }
    // close() with traffic still running (and, when probing, the probe's candidate connection open).
    const report = await run.finish();
    console.log(describeReport(`${scenario.name} / close() at ${at}`, report));
    expectInvariants(report);
    expect(report.states.at(-1)).toBe('closed');
    if (at === 'probing') expect(report.states).toContain('reconnecting');
    expect(run.tracker.pending).toBe(0);
    expect(await run.cache.get('after-close')).toEqual({ ok: false, reason: 'closed' });
    return report;
  } finally {
    run.dispose();
    await world.teardown();
  }
}

/** What every chaos run must show, healed or closed midway. */
export function expectInvariants(report: ChaosReport): void {
  expect(report.processErrors, 'unhandled rejections / uncaught exceptions').toEqual([]);
  expect(report.hung, `calls not settled within ${report.limitMs} ms`).toBe(0);
  expect(report.rejected, 'valid calls that rejected instead of answering').toBe(0);
  expect(report.corrupt, 'hits with bytes or flags other than the key ever held').toEqual([]);
  expect(report.maxOpenAtProbeStart, 'ports still open when a probe started').toBe(0);
  expect(report.maxPingsInFlight, 'probes in flight at once').toBeLessThanOrEqual(1);
  expect(
    report.openAtDrop.every((open) => open === 0),
    'dropped connections left open',
  ).toBe(true);
  expect(report.openAfterClose, 'ports open after close()').toBe(0);
  expect(report.leaked, 'handles above the baseline after close()').toBeUndefined();
  expect(report.calls).toBeGreaterThan(0);
}
