import { type Actor, createActor } from 'xstate';
import type { PoolMachine, PoolServer } from '../../machines/poolMachine';
import { poolMachine } from '../../machines/poolMachine';
import type { ConnectionActor, ConnectionState, ServerStatus } from '../api/Client';
import type { ResolvedOptions } from '../config/options';
import type { ServerAddress } from '../config/parseServers';
import { createDistribution } from '../distribution/createDistribution';
import type { ServerPicker } from '../distribution/Distribution';
import type { CallTarget } from '../engine/CallTarget';
import type { PortFactory } from '../port/MemcachedPort';
import { NO_SERVERS } from './noServers';
import { ServerConnection, type StateReporter } from './ServerConnection';

const SEVERITY: Record<ConnectionState, number> = { connected: 0, degraded: 1, reconnecting: 2, closed: 3 };

/**
 * Which servers exist and which one owns a key: runs the pool actor (one connection actor per
 * server, each wrapped by a `ServerConnection`) and maps keys to servers with the configured
 * distribution. The facade decides what calls do; this decides where they go.
 */
export class ServerPool {
  readonly actor: Actor<PoolMachine>;
  readonly #options: ResolvedOptions;
  readonly #portFactory: PortFactory;
  readonly #report: StateReporter;
  #members: ServerConnection[] = [];
  #byId = new Map<string, ServerConnection>();
  #pick: ServerPicker = () => 0;

  constructor(options: ResolvedOptions, portFactory: PortFactory, random: () => number, report: StateReporter) {
    this.#options = options;
    this.#portFactory = portFactory;
    this.#report = report;
    const connection = ServerConnection.machine((id) => this.#byId.get(id), random);
    this.actor = createActor(poolMachine.provide({ actors: { connection } }), {
      clock: options.clock,
      inspect: options.inspect,
      input: {
        servers: options.servers.map(toPoolServer),
        connection: {
          allowedFailuresBeforeHealing: options.allowedFailuresBeforeHealing,
          recoveryDelayMs: options.recoveryDelayMs,
          maxRecoveryDelayMs: options.maxRecoveryDelayMs,
          probeTimeoutMs: options.probeTimeoutMs,
        },
      },
    });
    this.actor.start();
    this.#sync(options.servers);
  }

  /** The server that owns `key` (`NO_SERVERS` before discovery's first list). The hot path: no hashing with one server. */
  serverFor(key: string): CallTarget {
    const members = this.#members;
    if (members.length === 1) return members[0] as ServerConnection;
    return members.length === 0 ? NO_SERVERS : (members[this.#pick(key)] as ServerConnection);
  }

  /** Every server, in the configured order. */
  get members(): readonly ServerConnection[] {
    return this.#members;
  }

  /** Where a call for every server goes: the members, or `NO_SERVERS` while there are none. */
  get targets(): readonly CallTarget[] {
    return this.#members.length === 0 ? [NO_SERVERS] : this.#members;
  }

  /** The member whose id (`host:port`) is `id`. */
  member(id: string): ServerConnection | undefined {
    return this.#byId.get(id);
  }

  /** The worst state over all servers: `reconnecting` if any is, else `degraded` if any is. */
  get state(): ConnectionState {
    if (this.actor.getSnapshot().status !== 'active') return 'closed';
    // No servers yet: calls answer not-ok without I/O, as while reconnecting.
    if (this.#members.length === 0) return 'reconnecting';
    let worst: ConnectionState = 'connected';
    for (const member of this.#members) {
      if (SEVERITY[member.state] > SEVERITY[worst]) worst = member.state;
    }
    return worst;
  }

  statuses(): ServerStatus[] {
    return this.#members.map((member) => member.status());
  }

  /**
   * Changes membership. A server is kept when its `host:port` and credentials stay: it keeps its
   * connection actor, state and port, and takes its new weight. New servers start connected; removed ones (and kept ones
   * whose credentials changed) are closed, which settles their calls in flight as `closed`.
   */
  setServers(servers: readonly ServerAddress[]): void {
    const restart = servers.filter((server) => {
      const kept = this.#byId.get(server.id)?.address;
      return kept !== undefined && (kept.username !== server.username || kept.password !== server.password);
    });
    this.actor.send({ type: 'SERVERS.SET', servers: servers.map(toPoolServer), restart: restart.map((s) => s.id) });
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
    const byId = new Map<string, ServerConnection>();
    this.#members = servers.map((address) => {
      const actor = children[address.id] as ConnectionActor | undefined;
      if (!actor) throw new Error(`reconnecting-memcached: the pool has no connection actor for ${address.id}`);
      let member = this.#byId.get(address.id);
      if (member?.actor !== actor) {
        member = new ServerConnection(address, actor, this.#portFactory, this.#options.clock, this.#report);
      } else member.relist(address);
      byId.set(address.id, member);
      return member;
    });
    this.#byId = byId;
    this.#pick = servers.length === 0 ? () => 0 : createDistribution(this.#options.distribution, servers);
  }
}

function toPoolServer(server: ServerAddress): PoolServer {
  return { id: server.id, weight: server.weight };
}
