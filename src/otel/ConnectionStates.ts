import type { Attributes, Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { serverAttributes } from './serverAttributes';

const STATES = ['connected', 'degraded', 'reconnecting', 'closed'] as const;

/** The conventions' name of a connection pool, unique in the application: here a client's `name`. */
const POOL_NAME = 'db.client.connection.pool.name';

/**
 * The `reconnecting_memcached.connection.state` gauge: for every connection seen, one client's to
 * one server, 1 for the state it is in and 0 for the others (attribute
 * `reconnecting_memcached.connection.state`), so a dashboard can sum connections per state. A
 * connection is its client (attribute `db.client.connection.pool.name`, the client's `name`) and
 * its server: two clients of one process on one server are two series, and one's outage or close
 * does not overwrite the other's state. A connection is seen through its first command or state
 * change; connections start `connected`, so one seen only through commands is reported so.
 *
 * A connection that closes (its server removed by `setServers`, or its client closed) leaves the
 * gauge: it is no connection any more, and a process that changes membership or makes clients
 * would otherwise report every connection it ever had, forever. Commands answered `closed` (calls
 * after close, or in flight on a removed server) do not bring it back; the next real command does.
 * Its last observation is 0 for every state: an SDK that keeps exporting an attribute set no
 * callback observes any more (sdk-metrics 2.x does, with cumulative temporality) then keeps zeros,
 * and sums per state stay right.
 */
export class ConnectionStates {
  // Per client, per server: the state of that connection.
  readonly #states = new Map<string, Map<string, string>>();
  // Connections closed since the last observation: observed once more, with zeros.
  readonly #gone: Array<readonly [client: string, server: string]> = [];
  readonly #gauge: ObservableGauge;
  readonly #observe = (result: ObservableResult) => {
    for (const [client, servers] of this.#states) {
      for (const [server, current] of servers) observeConnection(result, client, server, current);
    }
    for (const [client, server] of this.#gone) observeConnection(result, client, server, undefined);
    this.#gone.length = 0;
  };

  constructor(meter: Meter) {
    this.#gauge = meter.createObservableGauge('reconnecting_memcached.connection.state', {
      description:
        'Connection state of each client to each memcached server: 1 for its current state, 0 for the others.',
      unit: '{connection}',
    });
    this.#gauge.addCallback(this.#observe);
  }

  /** A command of `client` on `server` settled with `outcome`. */
  settled(client: string, server: string, outcome: string | undefined): void {
    if (outcome !== 'closed' && !this.#states.get(client)?.has(server)) this.#report(client, server, 'connected');
  }

  changed(client: string, server: string, state: string): void {
    if (state !== 'closed') {
      this.#report(client, server, state);
      return;
    }
    const servers = this.#states.get(client);
    if (!servers?.delete(server)) return;
    if (servers.size === 0) this.#states.delete(client);
    this.#gone.push([client, server]);
  }

  #report(client: string, server: string, state: string): void {
    let servers = this.#states.get(client);
    if (!servers) {
      servers = new Map();
      this.#states.set(client, servers);
    }
    servers.set(server, state);
    // Back before its zeros were observed: the state observed now is the one that counts.
    const gone = this.#gone.findIndex(([c, s]) => c === client && s === server);
    if (gone >= 0) this.#gone.splice(gone, 1);
  }

  stop(): void {
    this.#gauge.removeCallback(this.#observe);
  }
}

/** 1 for `current` and 0 for the other states of `client`'s connection to `server` (0 for all: `current` undefined). */
function observeConnection(
  result: ObservableResult,
  client: string,
  server: string,
  current: string | undefined,
): void {
  const base: Attributes = { [POOL_NAME]: client, ...serverAttributes(server) };
  for (const state of STATES) {
    const attributes: Attributes = { ...base, 'reconnecting_memcached.connection.state': state };
    result.observe(state === current ? 1 : 0, attributes);
  }
}
