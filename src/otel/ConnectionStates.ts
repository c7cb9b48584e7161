import type { Attributes, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { serverAttributes } from './serverAttributes';

const STATES = ['connected', 'degraded', 'reconnecting', 'closed'] as const;

/**
 * The `reconnecting_memcached.connection.state` gauge: for every server seen, 1 for the state its
 * connection is in and 0 for the others (attribute `reconnecting_memcached.connection.state`), so a
 * dashboard can sum servers per state. A server is seen through its first command or state change;
 * connections start `connected`, so a server seen only through commands is reported so.
 */
export class ConnectionStates {
  readonly #states = new Map<string, string>();
  readonly #gauge: ObservableGauge;
  readonly #observe = (result: ObservableResult) => {
    for (const [server, current] of this.#states) {
      const base = serverAttributes(server);
      for (const state of STATES) {
        const attributes: Attributes = { ...base, 'reconnecting_memcached.connection.state': state };
        result.observe(state === current ? 1 : 0, attributes);
      }
    }
  };

  constructor(meter: Meter) {
    this.#gauge = meter.createObservableGauge('reconnecting_memcached.connection.state', {
      description: 'Connection state of each memcached server: 1 for its current state, 0 for the others.',
      unit: '{connection}',
    });
    this.#gauge.addCallback(this.#observe);
  }

  seen(server: string): void {
    if (!this.#states.has(server)) this.#states.set(server, 'connected');
  }

  changed(server: string, state: string): void {
    this.#states.set(server, state);
  }

  stop(): void {
    this.#gauge.removeCallback(this.#observe);
  }
}
