import { waitFor } from 'xstate';
import type { Client, ConnectionState } from '../../src/api/Client';
import { createClientWithPort, portFactory } from '../../src/client/createClient';
import type { ClientOptions } from '../../src/config/options';
import { resolveOptions } from '../../src/config/options';
import { activeResources, type ResourceCounts, waitForResourcesAtBaseline } from './activeResources';
import { CallTracker } from './CallTracker';
import { textGet } from './memcachedText';
import { PortCensus } from './PortCensus';
import { guardProcess } from './processGuard';
import { Traffic, type TrafficOptions } from './Traffic';

/** Short delays so a fault and its healing fit in well under a second. */
export const CHAOS_OPTIONS = {
  timeoutMs: 100,
  allowedFailuresBeforeHealing: 3,
  recoveryDelayMs: 20,
  maxRecoveryDelayMs: 80,
} as const;

/**
 * How late past `timeoutMs` a call may settle before it counts as hung. Generous: the machine has
 * 2 shared cores and the test runner, the proxy and memcached all run on them.
 */
export const SLACK_MS = 400;

/** What a finished run saw, for the assertions and the printed figures. */
export interface ChaosReport {
  readonly calls: number;
  readonly hung: number;
  readonly rejected: number;
  readonly worstMs: number;
  readonly limitMs: number;
  readonly states: readonly ConnectionState[];
  readonly probes: number;
  readonly maxOpenAtProbeStart: number;
  readonly maxPingsInFlight: number;
  /** Ports still open when each drop to `reconnecting` was reported (all must be 0). */
  readonly openAtDrop: readonly number[];
  readonly openAfterClose: number;
  readonly corrupt: readonly string[];
  readonly processErrors: readonly unknown[];
  readonly outcomes: Readonly<Record<string, number>>;
  /** Resource types still above the baseline after close(), or undefined when all went back. */
  readonly leaked: string | undefined;
}

/**
 * One client under fire: the client over a census-taking memjs port factory, mixed traffic timed
 * call by call, process hooks, and the resource baseline taken before the client existed.
 */
export class ChaosRun {
  readonly cache: Client;
  readonly census: PortCensus;
  readonly tracker: CallTracker;
  readonly traffic: Traffic;
  readonly states: ConnectionState[] = [];
  readonly openAtDrop: number[] = [];
  readonly #baseline: ResourceCounts;
  readonly #guard = guardProcess();
  #landed = 0;

  constructor(servers: string, options: Partial<ClientOptions> = {}, traffic: TrafficOptions = {}) {
    this.#baseline = activeResources();
    const clientOptions: ClientOptions = { servers, ...CHAOS_OPTIONS, ...options };
    this.census = new PortCensus(portFactory(resolveOptions(clientOptions)));
    this.cache = createClientWithPort(clientOptions, this.census.factory);
    this.cache.subscribe((change) => {
      this.states.push(change.state);
      if (change.state === 'reconnecting') this.openAtDrop.push(this.census.open);
    });
    const timeoutMs = clientOptions.timeoutMs ?? CHAOS_OPTIONS.timeoutMs;
    this.tracker = new CallTracker(timeoutMs + SLACK_MS);
    this.traffic = new Traffic(this.cache, this.tracker, traffic);
  }

  /**
   * Resolves with the index in `states` of the first entry into `state` at or after index `since`,
   * waiting for it if it has not happened yet. Works for a state the client already left again
   * (a fault that heals faster than the test can look).
   */
  entered(state: ConnectionState, since: number, timeoutMs = 5000): Promise<number> {
    const seen = this.states.indexOf(state, since);
    if (seen >= 0) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no ${state} after ${timeoutMs} ms; states so far: ${this.states.join('>')}`));
      }, timeoutMs);
      const unsubscribe = this.cache.subscribe((change) => {
        if (change.state !== state) return;
        clearTimeout(timer);
        unsubscribe();
        // This listener runs after the one that records states: the entry is the last one.
        resolve(this.states.length - 1);
      });
    });
  }

  /** Resolves once `n` reconnect probes have failed in this outage. */
  async waitForFailedProbes(n: number, timeoutMs = 5000): Promise<void> {
    await waitFor(this.cache.connectionActor(), (s) => s.context.attempt >= n, { timeout: timeoutMs });
  }

  /** Resolves while a reconnect probe is in flight. */
  async waitForProbing(timeoutMs = 5000): Promise<void> {
    await waitFor(this.cache.connectionActor(), (s) => s.matches({ reconnecting: 'probing' }), { timeout: timeoutMs });
  }

  /**
   * Writes fresh keys through the client and reads them straight from memcached on `memcachedPort`
   * (not through the client or a proxy): true only if every one landed with its bytes and flags.
   */
  async writesLand(memcachedPort: number, count = 8): Promise<boolean> {
    const round = this.#landed++;
    const keys = Array.from({ length: count }, (_, i) => `landed:${round}:${i}`);
    const stored = await Promise.all(keys.map((key, i) => this.cache.set({ key, value: `v:${key}`, flags: i })));
    if (!stored.every(Boolean)) return false;
    const peeked = await Promise.all(keys.map((key) => textGet(memcachedPort, key)));
    return peeked.every((item, i) => item?.value.toString() === `v:${keys[i]}` && item.flags === i);
  }

  /** Stops the traffic, closes the client, waits for the handles to go back, and reports. */
  async finish(): Promise<ChaosReport> {
    await this.traffic.stop();
    await this.cache.close();
    let leaked: string | undefined;
    try {
      await waitForResourcesAtBaseline(this.#baseline);
    } catch (err) {
      leaked = (err as Error).message;
    }
    this.#guard.dispose();
    return {
      calls: this.tracker.calls,
      hung: this.tracker.hung,
      rejected: this.tracker.rejected,
      worstMs: this.tracker.worstMs,
      limitMs: this.tracker.limitMs,
      states: this.states,
      probes: this.census.probes,
      maxOpenAtProbeStart: this.census.maxOpenAtProbeStart,
      maxPingsInFlight: this.census.maxPingsInFlight,
      openAtDrop: this.openAtDrop,
      openAfterClose: this.census.open,
      corrupt: this.traffic.corrupt,
      processErrors: this.#guard.errors,
      outcomes: this.traffic.outcomes,
      leaked,
    };
  }

  /** Stops the hooks without a report (for a run that failed before `finish`). */
  dispose(): void {
    this.#guard.dispose();
    void this.traffic.stop();
    void this.cache.close();
  }
}

/** One line with the figures docs/reliability.md quotes. */
export function describeReport(name: string, r: ChaosReport): string {
  const outcomes = Object.entries(r.outcomes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `[chaos] ${name}: calls=${r.calls} hung=${r.hung} worst=${r.worstMs.toFixed(0)}ms (limit ${r.limitMs}) probes=${r.probes} states=${r.states.join('>')} | ${outcomes}`;
}
