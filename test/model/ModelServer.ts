import type { PortFactory } from '../../src/port/MemcachedPort';

/**
 * How the server answers the next requests (see `FakeMode`): `up` answers (a miss, the version),
 * `refusing` fails the call at the connection, `serverError` answers memcached's error status,
 * `manual` holds every request until the test answers or refuses it.
 */
export type ServerMode = 'up' | 'refusing' | 'serverError' | 'manual';

/** The requests a model suite holds: a `get` (a straggler, a call in flight) or the probe's ping. */
export type HeldOp = 'get' | 'ping';

/**
 * One memcached as the model suites drive it, whatever stands between the client and it: the fake
 * port (FakePortServer), or a real adapter over real sockets to a fake memcached on loopback
 * (WireServer). The suites cause every model event through this, so one suite runs over each.
 */
export interface ModelServer {
  /** The client's port factory: every port it makes goes to this server. */
  readonly factory: PortFactory;
  mode: ServerMode;
  /** Requests that reached memcached so far (probe pings included, authentication not). */
  readonly calls: number;
  /** Ports the client made so far: the first connection and one per probe. */
  readonly portsMade: number;
  /** Ports the client made and has not closed. */
  readonly openPorts: number;
  /** Connections open at memcached's end (a closed port's socket may take a turn to go). */
  readonly connections: number;
  /**
   * Whether a call in flight on a port the client closed stays in flight (so its result can come
   * later, from a dropped connection: a stale result), or fails when the port closes.
   */
  readonly lateResults: boolean;
  /** Requests of `op` that reached memcached so far, in any mode (in `manual` mode: held). */
  reached(op: HeldOp): number;
  /** The newest held request of `op` gets its answer (a miss, the version). */
  answer(op: HeldOp): void;
  /** The newest held request of `op` fails at the connection. */
  refuse(op: HeldOp): void;
  /** Resolves once `done()` holds; rejects, naming `what`, if it never does. */
  until(done: () => boolean, what: string): Promise<void>;
  /** Stops the server (after the client closed). */
  stop(): Promise<void>;
}
