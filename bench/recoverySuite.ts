import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '../src';
import { ControlledMemcached } from './ControlledMemcached';
import type { Library } from './library';
import type { OutageKind } from './outageSuite';
import { median } from './stats';
import { Traffic, whenState } from './Traffic';

export interface RecoverySettings {
  readonly trials: number;
  readonly callers: number;
  readonly timeoutMs: number;
  /** Base wait before a probe (short, so trials are quick); the cap is the same, so waits are in [d, 2d). */
  readonly recoveryDelayMs: number;
}

export interface RecoveryTrial {
  readonly kind: OutageKind;
  /** From the outage's start until the client answers without I/O. */
  readonly detectMs: number;
  /** From memcached accepting connections again until the client is connected. */
  readonly healMs: number;
  /** Of healMs, the part the client was waiting for its scheduled probe (by the schedule). */
  readonly scheduledWaitMs: number;
  /** healMs minus scheduledWaitMs. */
  readonly overScheduleMs: number;
  /** Of overScheduleMs, how late the probe's timer fired (a busy event loop runs timers late). */
  readonly timerLateMs: number;
  /** Of overScheduleMs, the probe that healed: from its start (or memcached's return) to connected. */
  readonly probeMs: number;
  /**
   * Reference probes made during this trial's outage, under the same traffic: a fresh client's
   * ping to another memcached started just before, like the one that comes back. `cold` are first
   * pings to a fresh memcached process (one per process), which is what the healing probe does
   * and can take longer than the next pings to the same process (`warm`).
   */
  readonly referenceProbeMs: { readonly cold: number[]; readonly warm: number[] };
}

export interface RecoveryResult {
  readonly settings: RecoverySettings;
  readonly trials: RecoveryTrial[];
  /** A fresh client's ping to a healthy memcached (connect + VERSION) with no traffic. */
  readonly probeRttMs: { readonly samples: number[]; readonly median: number; readonly max: number };
}

// Per trial. A handful of samples cannot stand for a distribution's tail (GC pauses, the other
// processes on the machine); a few per trial make a few dozen per run.
const COLD_REFERENCE_PROBES = 3;
const WARM_REFERENCE_PROBES = 2;

/** A fresh client's ping (connect + VERSION, what a reconnect probe does), in ms. */
async function probeOnce(lib: Library, address: string): Promise<number> {
  const fresh = lib.createClient({ servers: address, timeoutMs: 1000 });
  try {
    const t0 = performance.now();
    await fresh.ping();
    return performance.now() - t0;
  } finally {
    await fresh.close();
  }
}

/**
 * Outages under traffic against a real memcached: how long until the client fails fast, and how
 * long after memcached is back until it is connected again. Every trial alternates the two kinds.
 */
export async function recoverySuite(
  lib: Library,
  memcached: ControlledMemcached,
  settings: RecoverySettings,
  progress: (line: string) => void,
): Promise<RecoveryResult> {
  const probeSamples: number[] = [];
  for (let i = 0; i < 15; i++) probeSamples.push(await probeOnce(lib, memcached.address));
  const client = lib.createClient({
    servers: memcached.address,
    timeoutMs: settings.timeoutMs,
    recoveryDelayMs: settings.recoveryDelayMs,
    maxRecoveryDelayMs: settings.recoveryDelayMs,
  });
  const schedule = trackSchedule(client);
  const traffic = new Traffic(client, settings.callers);
  const trials: RecoveryTrial[] = [];
  try {
    // Two warm-up trials first (one of each kind, not recorded): the first heals of a process run
    // the probe path's code for the first times.
    for (let n = -2; n < settings.trials; n++) {
      const kind: OutageKind = n % 2 === 0 ? 'blackhole' : 'refused';
      // Healthy traffic first, so the outage starts with calls in flight.
      await traffic.until(traffic.calls + 2000);
      const down = whenState(client, 'reconnecting', 10_000);
      const start = performance.now();
      if (kind === 'blackhole') memcached.blackHole();
      else await memcached.refuse();
      const detectMs = (await down) - start;
      // Stay down across a few probes, as a real outage would, and meanwhile time reference probes.
      const outageOver = sleep(settings.recoveryDelayMs * 3);
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < COLD_REFERENCE_PROBES; i++) {
        const reference = await ControlledMemcached.start();
        cold.push(await probeOnce(lib, reference.address));
        if (i === 0) for (let j = 0; j < WARM_REFERENCE_PROBES; j++) warm.push(await probeOnce(lib, reference.address));
        await reference.stop();
      }
      const referenceProbeMs = { cold, warm };
      await outageOver;
      const up = whenState(client, 'connected', 10_000);
      await memcached.restore();
      const back = performance.now();
      const scheduledWaitMs = schedule.remainingAt(back);
      const connectedAt = await up;
      const healMs = connectedAt - back;
      // The probe that healed started at the last entry into `probing`; if that was before memcached
      // came back, it was already in flight and only the part after `back` counts.
      const probeFrom = Math.max(back, schedule.lastProbeAt);
      const trial: RecoveryTrial = {
        kind,
        detectMs,
        healMs,
        scheduledWaitMs,
        overScheduleMs: healMs - scheduledWaitMs,
        timerLateMs: Math.max(0, probeFrom - back - scheduledWaitMs),
        probeMs: connectedAt - probeFrom,
        referenceProbeMs,
      };
      if (n < 0) continue;
      trials.push(trial);
      progress(
        `${kind}: detected in ${detectMs.toFixed(1)} ms; healed in ${healMs.toFixed(2)} ms = ${scheduledWaitMs.toFixed(2)} scheduled wait + ${trial.timerLateMs.toFixed(2)} timer late + ${trial.probeMs.toFixed(2)} probe (reference probes to a fresh memcached ${cold.map((m) => m.toFixed(2)).join(', ')} ms; warm ${warm.map((m) => m.toFixed(2)).join(', ')} ms)`,
      );
    }
  } finally {
    await traffic.stop();
    await client.close();
  }
  return {
    settings,
    trials,
    probeRttMs: { samples: probeSamples, median: median(probeSamples), max: Math.max(...probeSamples) },
  };
}

/**
 * Follows the machine's `reconnecting.waiting` state through the actor, to know when the next
 * probe is due: the state's entry time plus the `nextDelayMs` it scheduled.
 */
function trackSchedule(client: Client): { remainingAt(time: number): number; readonly lastProbeAt: number } {
  let dueAt: number | undefined;
  let lastProbeAt = Number.NEGATIVE_INFINITY;
  let lastValue = '';
  // One server: its connection actor carries the schedule (the pool actor only lists servers).
  client.connectionActor().subscribe((snapshot) => {
    const value = JSON.stringify(snapshot.value);
    if (value === lastValue) return;
    lastValue = value;
    const now = performance.now();
    dueAt = value === '{"reconnecting":"waiting"}' ? now + snapshot.context.nextDelayMs : undefined;
    if (value === '{"reconnecting":"probing"}') lastProbeAt = now;
  });
  return {
    // While a probe is in flight nothing is scheduled: the probe may heal at once.
    remainingAt: (time) => (dueAt === undefined ? 0 : Math.max(0, dueAt - time)),
    get lastProbeAt() {
      return lastProbeAt;
    },
  };
}
