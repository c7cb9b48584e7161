import type { Attributes, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { serverAttributes } from './serverAttributes';

const STATES = ['connected', 'degraded', 'reconnecting', 'closed'] as const;

/**
 * The `reconnecting_memcached.connection.state` gauge: for every server seen, 1 for the state its
 * connection is in and 0 for the others (attribute `reconnecting_memcached.connection.state`), so a
 * dashboard can sum servers per state. A server is seen through its first command or state change;
 * connections start `connected`, so a server seen only through commands is reported so.
 *
 * A connection that closes (its server removed by `setServers`, or its client closed) leaves the
 * gauge: it is no connection any more, and a process that changes membership or makes clients
 * would otherwise report every server it ever used, forever. Commands answered `closed` (calls
 * after close, or in flight on a removed server) do not bring it back; the next real command does.
 * Its last observation is 0 for every state: an SDK that keeps exporting an attribute set no
 * callback observes any more (sdk-metrics 2.x does, with cumulative temporality) then keeps zeros,
 * and sums per state stay right.
 */
export class ConnectionStates {
  readonly #states = new Map<string, string>();
  // Servers whose connection closed since the last observation: observed once more, with zeros.
  readonly #gone = new Set<string>();
  readonly #gauge: ObservableGauge;
  readonly #observe = (result: ObservableResult) => {
    for (const [server, current] of this.#states) observeServer(result, server, current);
    for (const server of this.#gone) observeServer(result, server, undefined);
    this.#gone.clear();
  };

  constructor(meter: Meter) {
    this.#gauge = meter.createObservableGauge('reconnecting_memcached.connection.state', {
      description: 'Connection state of each memcached server: 1 for its current state, 0 for the others.',
      unit: '{connection}',
    });
    this.#gauge.addCallback(this.#observe);
  }

  /** A command on `server` settled with `outcome`. */
  settled(server: string, outcome: string | undefined): void {
    if (outcome !== 'closed' && !this.#states.has(server)) this.#report(server, 'connected');
  }

  changed(server: string, state: string): void {
    if (state !== 'closed') this.#report(server, state);
    else if (this.#states.delete(server)) this.#gone.add(server);
  }

  #report(server: string, state: string): void {
    this.#states.set(server, state);
    this.#gone.delete(server);
  }

  stop(): void {
    this.#gauge.removeCallback(this.#observe);
  }
}

/** 1 for `current` and 0 for the other states of `server` (0 for all: `current` undefined). */
function observeServer(result: ObservableResult, server: string, current: string | undefined): void {
  const base = serverAttributes(server);
  for (const state of STATES) {
    const attributes: Attributes = { ...base, 'reconnecting_memcached.connection.state': state };
    result.observe(state === current ? 1 : 0, attributes);
  }
}
