import type { Client, ConnectionState } from '../src/api/Client';
import type { Fault } from './Backend';

/** What happened, in ms since the demo started. */
export type DemoEvent =
  | {
      readonly type: 'fault';
      readonly t: number;
      readonly fault: Fault;
      readonly say: string;
      readonly by: 'script' | 'key';
    }
  | {
      readonly type: 'state';
      readonly t: number;
      readonly from: ConnectionState;
      readonly to: ConnectionState;
      readonly failures: number;
    }
  /** The client starts waiting before its next reconnect probe (after `failedProbes` failed ones). */
  | { readonly type: 'probe'; readonly t: number; readonly failedProbes: number; readonly inMs: number };

/** The connection as the panel shows it, read from the actor's snapshot. */
export interface ConnectionView {
  readonly state: ConnectionState;
  /** Inside `reconnecting`: waiting for the next probe, or probing. */
  readonly phase: 'waiting' | 'probing' | undefined;
  readonly failures: number;
  readonly allowedFailures: number;
  readonly failedProbes: number;
  /** Time left before the next probe, ms, while waiting. */
  readonly nextProbeInMs: number | undefined;
}

/** Watches the client (its `subscribe` and its actor's snapshots) and keeps the demo's event log. */
export class Monitor {
  readonly events: DemoEvent[] = [];
  readonly #cache: Client;
  readonly #start = performance.now();
  readonly #listeners = new Set<(event: DemoEvent) => void>();
  readonly #unsubscribe: Array<() => void> = [];
  // The snapshot only says how long the wait is; when it began is recorded here.
  #waitingSince = 0;
  #waiting = false;

  constructor(cache: Client) {
    this.#cache = cache;
    this.#unsubscribe.push(
      cache.subscribe((change) =>
        this.#emit({
          type: 'state',
          t: this.now(),
          from: change.previous,
          to: change.state,
          failures: change.failures,
        }),
      ),
    );
    const subscription = cache.connectionActor().subscribe((snapshot) => {
      const waiting = snapshot.matches({ reconnecting: 'waiting' });
      if (waiting && !this.#waiting) {
        this.#waitingSince = performance.now();
        const { attempt, nextDelayMs } = snapshot.context;
        this.#emit({ type: 'probe', t: this.now(), failedProbes: attempt, inMs: nextDelayMs });
      }
      this.#waiting = waiting;
    });
    this.#unsubscribe.push(() => subscription.unsubscribe());
  }

  /** Milliseconds since the demo started. */
  now(): number {
    return performance.now() - this.#start;
  }

  /** Converts a `performance.now()` reading to demo time. */
  at(performanceNow: number): number {
    return performanceNow - this.#start;
  }

  /** Converts demo time to a `performance.now()` reading. */
  clock(t: number): number {
    return t + this.#start;
  }

  fault(fault: Fault, say: string, by: 'script' | 'key'): void {
    this.#emit({ type: 'fault', t: this.now(), fault, say, by });
  }

  connection(): ConnectionView {
    const snapshot = this.#cache.connectionActor().getSnapshot();
    const { failures, attempt, nextDelayMs, allowedFailuresBeforeHealing } = snapshot.context;
    const phase = snapshot.matches({ reconnecting: 'waiting' })
      ? 'waiting'
      : snapshot.matches({ reconnecting: 'probing' })
        ? 'probing'
        : undefined;
    return {
      state: this.#cache.state,
      phase,
      failures,
      allowedFailures: allowedFailuresBeforeHealing,
      failedProbes: attempt,
      nextProbeInMs:
        phase === 'waiting' ? Math.max(0, nextDelayMs - (performance.now() - this.#waitingSince)) : undefined,
    };
  }

  onEvent(listener: (event: DemoEvent) => void): void {
    this.#listeners.add(listener);
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#listeners.clear();
  }

  #emit(event: DemoEvent): void {
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}
