import { fromPromise } from 'xstate';
import {
  type ConnectionEmitted,
  connectionMachine,
  type ProbeInput,
  scheduleProbeWith,
} from '../../machines/connectionMachine';
import type { ConnectionActor, ConnectionState, ServerStatus, StateChange } from '../api/Client';
import type { ServerAddress } from '../config/parseServers';
import type { Clock } from '../core/clock';
import { ClientClosedError } from '../core/errors';
import type { CallTarget } from '../engine/CallTarget';
import type { MemcachedPort, PortFactory } from '../port/MemcachedPort';

/** Hears every state change of a server, with the failed probes of the outage a heal ends. */
export type StateReporter = (change: StateChange, failedProbes: number) => void;

/** Finds the connection of a connection actor's id (the pool's membership). */
export type ConnectionLookup = (id: string) => ServerConnection | undefined;

/**
 * One server: its connection actor (a child of the pool actor), its current port, its reconnect
 * probe, and what its machine reports. The machine decides; this does the I/O it asks for and
 * tells the engine (as a `CallTarget`) where calls go.
 */
export class ServerConnection implements CallTarget {
  readonly id: string;
  readonly actor: ConnectionActor;
  /** The current connection; undefined exactly while this server is reconnecting or closed. */
  port: MemcachedPort | undefined;
  readonly #portFactory: PortFactory;
  readonly #clock: Clock;
  #address: ServerAddress;
  #state: ConnectionState = 'connected';
  #nextProbeAt = 0;
  #released = false;

  constructor(
    address: ServerAddress,
    actor: ConnectionActor,
    portFactory: PortFactory,
    clock: Clock,
    report: StateReporter,
  ) {
    this.id = address.id;
    this.#address = address;
    this.actor = actor;
    this.#portFactory = portFactory;
    this.#clock = clock;
    this.port = portFactory(address);
    actor.on('*', (event) => this.#heard(event as ConnectionEmitted, report));
  }

  /**
   * The connection machine with this class's I/O: one definition for every server, which finds the
   * server's connection by the actor's id. `random` is the jitter source of the reconnect delay.
   */
  static machine(lookup: ConnectionLookup, random: () => number) {
    return connectionMachine.provide({
      actions: {
        dropConnection: ({ self }) => lookup(self.id)?.replacePort(undefined),
        adoptConnection: ({ self }, params) => adopt(lookup(self.id), params.connection as MemcachedPort),
        releaseConnection: ({ self }) => lookup(self.id)?.release(),
        scheduleProbe: scheduleProbeWith(random),
      },
      actors: {
        probe: fromPromise<unknown, ProbeInput>(({ input, signal }) => {
          const connection = lookup(input.server);
          return connection ? connection.probe(signal) : Promise.reject(new ClientClosedError());
        }),
      },
    });
  }

  /** Where it is and how to log in (its id and credentials never change), and its weight. */
  get address(): ServerAddress {
    return this.#address;
  }

  /** `setServers` listed this server again, the same but maybe for its weight: that is reported from now on. */
  relist(address: ServerAddress): void {
    this.#address = address;
  }

  get weight(): number {
    return this.#address.weight;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get generation(): number {
    return this.actor.getSnapshot().context.generation;
  }

  get active(): boolean {
    return !this.#released && this.actor.getSnapshot().status === 'active';
  }

  succeeded(generation: number): void {
    // The hot path: while nothing is counted there is nothing to reset, so no event is sent and the
    // call costs one snapshot read. The machine still decides what a success does.
    const snapshot = this.actor.getSnapshot();
    if (snapshot.context.failures !== 0 && snapshot.status === 'active') {
      this.actor.send({ type: 'CALL.SUCCEEDED', generation });
    }
  }

  failed(generation: number, count = 1): void {
    this.actor.send(count === 1 ? { type: 'CALL.FAILED', generation } : { type: 'CALL.FAILED', generation, count });
  }

  status(): ServerStatus {
    const snapshot = this.actor.getSnapshot();
    const { failures, attempt } = snapshot.context;
    const waiting = snapshot.matches({ reconnecting: 'waiting' });
    return {
      server: this.id,
      weight: this.weight,
      state: this.#state,
      failures,
      attempt,
      nextProbeAt: waiting ? this.#nextProbeAt : undefined,
    };
  }

  /**
   * The machine closed this server: it is inactive from now on, and its port is closed. Inactive
   * first: the port fails its calls in flight as it closes, while the machine is still in the
   * transition to `closed`, and those calls must answer `closed` (not count as an outage).
   */
  release(): void {
    this.#released = true;
    this.replacePort(undefined);
  }

  /** Makes `next` the current port and closes the one it replaces. */
  replacePort(next: MemcachedPort | undefined): void {
    const previous = this.port;
    this.port = next;
    previous?.close();
  }

  /** One reconnect probe: a fresh port that must answer a VERSION, or be closed. */
  async probe(signal: AbortSignal): Promise<MemcachedPort> {
    const candidate = this.#portFactory(this.#address);
    // The machine stops the probe on probeTimeout or close(): the candidate's sockets go with it.
    const abort = () => candidate.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await candidate.ping();
    } catch (err) {
      candidate.close();
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
    if (signal.aborted) {
      candidate.close();
      throw new ClientClosedError();
    }
    return candidate;
  }

  #heard(event: ConnectionEmitted, report: StateReporter): void {
    if (event.type === 'probe.scheduled') {
      this.#nextProbeAt = this.#clock.now() + event.delayMs;
      return;
    }
    const change = stateChangeOf(event);
    if (change === undefined || change.state === this.#state) return;
    const previous = this.#state;
    this.#state = change.state;
    const { state, failures, attempt } = change;
    report({ server: this.id, state, previous, failures, attempt, at: this.#clock.now() }, change.failedProbes);
  }
}

/** The state change an emitted event means, with the counts once it is done (none for probe news). */
function stateChangeOf(
  event: ConnectionEmitted,
): { state: ConnectionState; failures: number; attempt: number; failedProbes: number } | undefined {
  switch (event.type) {
    case 'degraded':
      return { state: 'degraded', failures: event.failures, attempt: 0, failedProbes: 0 };
    case 'recovered':
      return { state: 'connected', failures: 0, attempt: 0, failedProbes: 0 };
    case 'dropped':
      return { state: 'reconnecting', failures: event.failures, attempt: 0, failedProbes: 0 };
    case 'healed':
      return { state: 'connected', failures: 0, attempt: 0, failedProbes: event.failedProbes };
    case 'closed':
      return { state: 'closed', failures: event.failures, attempt: event.attempt, failedProbes: 0 };
    default:
      return undefined;
  }
}

// Not reachable by design (a connection outlives its actor's last action); never leak a socket.
function adopt(connection: ServerConnection | undefined, port: MemcachedPort): void {
  if (connection) connection.replacePort(port);
  else port.close();
}
