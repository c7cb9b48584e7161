import type { Actor, SnapshotFrom } from 'xstate';
import { assign, createActor, fromPromise } from 'xstate';
import type { ConnectionMachine, ProbeInput } from '../../machines/connectionMachine';
import { connectionMachine } from '../../machines/connectionMachine';
import type { PoolMachine, PoolServer } from '../../machines/poolMachine';
import { poolMachine } from '../../machines/poolMachine';
import { reconnectDelay } from '../../machines/reconnectDelay';
import type { ConnectionActor, ConnectionState, ServerStatus, StateChange } from '../api/Client';
import type { ResolvedOptions } from '../config/options';
import { formatServer, type ServerAddress } from '../config/parseServers';
import { ClientClosedError } from '../core/errors';
import { createDistribution } from '../distribution/createDistribution';
import type { ServerPicker } from '../distribution/Distribution';
import type { MemcachedPort, PortFactory } from '../port/MemcachedPort';

/** What the facade needs to call one server: read on every call, so plain fields. */
export interface ServerSlot {
  /** `host:port`: the connection actor's id. */
  readonly id: string;
  readonly address: ServerAddress;
  readonly actor: ConnectionActor;
  /** The current connection; undefined exactly while this server is reconnecting or closed. */
  port: MemcachedPort | undefined;
}

interface WatchedSlot extends ServerSlot {
  weight: number;
  /** The state last reported to subscribers. */
  reported: ConnectionState;
  /** When the pending probe is due (clock ms); set on entering `reconnecting.waiting`. */
  nextProbeAt: number | undefined;
  /** Which wait `nextProbeAt` belongs to (`generation:attempt`): each wait is entered once. */
  waitingFor: string;
  /** Failed probes last seen: a heal resets `attempt` in the same step that reports it. */
  failedProbes: number;
}

type ConnectionSnapshot = SnapshotFrom<ConnectionMachine>;

function stateOf(snapshot: ConnectionSnapshot): ConnectionState {
  const value = snapshot.value;
  return typeof value === 'string' ? value : 'reconnecting';
}

const WORSE: Record<ConnectionState, number> = { connected: 0, degraded: 1, reconnecting: 2, closed: 3 };

/**
 * Which servers exist and how to reach them: runs the pool actor (one connection actor per server),
 * owns each server's current port, and maps a key to its server with the configured distribution.
 * The facade (Client.ts) decides what calls do; this decides where they go.
 */
export class ServerPool {
  readonly actor: Actor<PoolMachine>;
  readonly #options: ResolvedOptions;
  readonly #portFactory: PortFactory;
  readonly #report: (change: StateChange, failedProbes: number) => void;
  #slots: WatchedSlot[] = [];
  #byId = new Map<string, WatchedSlot>();
  #pick: ServerPicker = () => 0;

  constructor(
    options: ResolvedOptions,
    portFactory: PortFactory,
    random: () => number,
    /** Called on every state change of a server, with the failed probes of the outage it ends. */
    report: (change: StateChange, failedProbes: number) => void,
  ) {
    this.#options = options;
    this.#portFactory = portFactory;
    this.#report = report;
    const connection = connectionMachine.provide({
      actions: {
        dropConnection: ({ self }) => this.#replacePort(self.id, undefined),
        adoptConnection: ({ self }, params) => this.#replacePort(self.id, params.connection as MemcachedPort),
        releaseConnection: ({ self }) => this.#replacePort(self.id, undefined),
        scheduleProbe: assign({
          nextDelayMs: ({ context }) =>
            reconnectDelay(context.attempt, context.recoveryDelayMs, context.maxRecoveryDelayMs, random),
        }),
      },
      actors: {
        probe: fromPromise<unknown, ProbeInput>(({ input, signal }) => this.#probe(input.server, signal)),
      },
    });
    this.actor = createActor(poolMachine.provide({ actors: { connection } }), {
      clock: options.clock,
      inspect: options.inspect,
      input: {
        servers: options.servers.map(toPoolServer),
        connection: {
          allowedFailuresBeforeHealing: options.allowedFailuresBeforeHealing,
          recoveryDelayMs: options.recoveryDelayMs,
          maxRecoveryDelayMs: options.maxRecoveryDelayMs,
          probeTimeoutMs: options.connectTimeoutMs + options.timeoutMs,
        },
      },
    });
    this.actor.start();
    this.#sync(options.servers);
  }

  /** The slot of the server that owns `key`. The hot path: no hashing with one server. */
  slotFor(key: string): ServerSlot {
    const slots = this.#slots;
    return (slots.length === 1 ? slots[0] : slots[this.#pick(key)]) as ServerSlot;
  }

  /** Every server, in the configured order. */
  get slots(): readonly ServerSlot[] {
    return this.#slots;
  }

  /** The slot of `id` (`host:port`), if it is a member. */
  slot(id: string): ServerSlot | undefined {
    return this.#byId.get(id);
  }

  /** The worst state over all servers: `reconnecting` if any is, else `degraded` if any is. */
  get state(): ConnectionState {
    if (this.actor.getSnapshot().status !== 'active') return 'closed';
    let worst: ConnectionState = 'connected';
    for (const slot of this.#slots) {
      const state = stateOf(slot.actor.getSnapshot());
      if (WORSE[state] > WORSE[worst]) worst = state;
    }
    return worst;
  }

  statuses(): ServerStatus[] {
    return this.#slots.map((slot) => {
      const { context } = slot.actor.getSnapshot();
      return {
        server: slot.id,
        weight: slot.weight,
        state: stateOf(slot.actor.getSnapshot()),
        failures: context.failures,
        attempt: context.attempt,
        nextProbeAt: slot.nextProbeAt,
      };
    });
  }

  /**
   * Changes membership. A server is kept when its `host:port` and credentials stay: it keeps its
   * connection actor, state and port. New servers start connected; removed ones (and kept ones
   * whose credentials changed) are closed, which settles their calls in flight as `closed`.
   */
  setServers(servers: readonly ServerAddress[]): void {
    const restart: string[] = [];
    for (const server of servers) {
      const kept = this.#byId.get(formatServer(server));
      if (kept && !sameCredentials(kept.address, server)) restart.push(kept.id);
    }
    this.actor.send({ type: 'SERVERS.SET', servers: servers.map(toPoolServer), restart });
    this.#sync(servers);
  }

  /** Closes every server's connection actor (releasing its port), then stops the pool. */
  close(): void {
    this.actor.send({ type: 'CLOSE' });
    this.actor.stop();
  }

  // Rebuilds the routing table from the pool's children, after the pool spawned and closed them.
  #sync(servers: readonly ServerAddress[]): void {
    const children = this.actor.getSnapshot().children;
    const byId = new Map<string, WatchedSlot>();
    const slots = servers.map((address) => {
      const id = formatServer(address);
      const actor = children[id] as ConnectionActor | undefined;
      if (!actor) throw new Error(`reconnecting-memcached: the pool has no connection actor for ${id}`);
      let slot = this.#byId.get(id);
      if (slot?.actor !== actor) slot = this.#watch(id, address, actor);
      slot.weight = address.weight ?? 1;
      byId.set(id, slot);
      return slot;
    });
    this.#slots = slots;
    this.#byId = byId;
    this.#pick = createDistribution(
      this.#options.distribution,
      slots.map((slot) => ({ host: slot.address.host, port: slot.address.port, weight: slot.weight })),
    );
  }

  #watch(id: string, address: ServerAddress, actor: ConnectionActor): WatchedSlot {
    const slot: WatchedSlot = {
      id,
      address,
      actor,
      port: this.#portFactory(address),
      weight: address.weight ?? 1,
      reported: stateOf(actor.getSnapshot()),
      nextProbeAt: undefined,
      waitingFor: '',
      failedProbes: 0,
    };
    const clock = this.#options.clock;
    // Snapshots come only with events, and a healthy call sends none: this is off the hot path.
    actor.subscribe((snapshot) => {
      const { context } = snapshot;
      if (snapshot.matches({ reconnecting: 'waiting' })) {
        const wait = `${context.generation}:${context.attempt}`;
        if (slot.waitingFor !== wait) {
          slot.waitingFor = wait;
          slot.nextProbeAt = clock.now() + context.nextDelayMs;
        }
      } else {
        slot.nextProbeAt = undefined;
      }
      const probesBefore = slot.failedProbes;
      slot.failedProbes = context.attempt;
      const state = stateOf(snapshot);
      if (state === slot.reported) return;
      const previous = slot.reported;
      slot.reported = state;
      const { failures, attempt } = context;
      this.#report({ server: id, state, previous, failures, attempt, at: clock.now() }, probesBefore);
    });
    return slot;
  }

  #replacePort(id: string, next: MemcachedPort | undefined): void {
    const slot = this.#byId.get(id);
    if (!slot) {
      // Not reachable by design (slots outlive their actor's last action); never leak a socket.
      next?.close();
      return;
    }
    const previous = slot.port;
    slot.port = next;
    previous?.close();
  }

  /** One reconnect probe: a fresh port that must answer a VERSION, or be closed. */
  async #probe(id: string, signal: AbortSignal): Promise<MemcachedPort> {
    const slot = this.#byId.get(id);
    if (!slot) throw new ClientClosedError();
    const candidate = this.#portFactory(slot.address);
    // The machine stops this actor on probeTimeout or close(): the candidate's sockets go with it.
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
}

function toPoolServer(server: ServerAddress): PoolServer {
  return { id: formatServer(server), weight: server.weight ?? 1 };
}

function sameCredentials(a: ServerAddress, b: ServerAddress): boolean {
  return a.username === b.username && a.password === b.password;
}
