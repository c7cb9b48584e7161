import { expect } from 'vitest';
import type { InspectionEvent } from 'xstate';
import type { Client, ConnectionActor, ConnectionState, GetResult, StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import { ClientClosedError, InvalidOptionError } from '../../src/core/errors';
import { createDistribution } from '../../src/distribution/createDistribution';
import { settledNow } from '../support/settledNow';
import { CountingClock } from './CountingClock';
import { statePath, userState } from './connectionTestModel';
import { GRAPH_OPTIONS } from './graphOptions';
import type { ModelServer } from './ModelServer';
import type { PoolModelEvent, PoolModelState } from './poolTestModel';
import { FIRST_MEMBERS, initialPoolState, memberIds, POOL_LIMIT, UNIVERSE } from './poolTestModel';
import { ServerDriver } from './ServerDriver';

const SEVERITY: readonly ConnectionState[] = ['connected', 'degraded', 'reconnecting'];

function usable(state: ConnectionState): boolean {
  return state === 'connected' || state === 'degraded';
}

/**
 * A client of several servers (one ModelServer each, a simulated clock, jitter 0), driven by pool
 * model events as a user would: `setServers`, calls that fail or succeed on one member, its reconnect
 * delay and probe, `close()`. Checks, in every state, what a user can see of every server.
 */
export class PoolHarness {
  readonly clock = new CountingClock();
  readonly cache: Client;
  readonly #drivers = new Map<string, ServerDriver>();
  readonly #reports: StateChange[] = [];
  // How often each server was restarted: an odd count lists it with credentials, an even one without.
  readonly #restarts = new Map<string, number>();
  readonly #keys = new Map<string, string>();
  // The user name each server's last connection was opened with.
  readonly #openedAs = new Map<string, string | undefined>();
  #members: readonly string[] = FIRST_MEMBERS;
  #checked: PoolModelState = initialPoolState();

  /** `memcached`: the server behind each id of UNIVERSE. */
  constructor(
    readonly memcached: ReadonlyMap<string, ModelServer>,
    inspect: (event: InspectionEvent) => void,
  ) {
    this.cache = createClientWithPort(
      {
        ...GRAPH_OPTIONS,
        servers: this.#list(FIRST_MEMBERS),
        allowedFailuresBeforeHealing: POOL_LIMIT,
        clock: this.clock,
        inspect,
      },
      (server) => {
        this.#openedAs.set(server.id, server.username);
        return this.#memcached(server.id).factory(server);
      },
      { random: () => 0 },
    );
    this.cache.subscribe((change) => this.#reports.push(change));
    for (const id of UNIVERSE) {
      this.#drivers.set(id, new ServerDriver(this.cache, id, this.#memcached(id), this.clock, () => this.#key(id)));
    }
  }

  /** Causes `event` through the client; `after` is where the model says it leads. */
  async apply(event: PoolModelEvent, after: PoolModelState): Promise<void> {
    if (event.type === 'MEMBER') await this.#driver(event.server).cause(event.event, GRAPH_OPTIONS, 0);
    else if (event.type === 'SERVERS.SET') await this.#setServers(event);
    else await this.cache.close();
    for (const [id, member] of after.members) await this.#driver(id).reaches(member, describe(event));
  }

  /** What a user can see in `state`: the pool, every server, what subscribe said, one more call each. */
  async check(state: PoolModelState): Promise<void> {
    const running = state.pool.status === 'active';
    const pool = this.cache.actor.getSnapshot();
    expect({ value: pool.value, status: pool.status }).toEqual({ value: state.pool.value, status: state.pool.status });
    const ids = memberIds(state);
    expect(pool.context.servers).toEqual(state.pool.context.servers);
    const members = ids.map((id) => state.members.get(id)!);
    const states = members.map(userState);
    expect(this.cache.servers()).toEqual(
      members.map(({ context }, i) => ({
        server: ids[i],
        weight: 1,
        state: states[i],
        failures: context.failures,
        attempt: context.attempt,
        nextProbeAt: statePath(members[i]!) === 'reconnecting.waiting' ? state.dueAt.get(ids[i]!) : undefined,
      })),
    );
    const worst = SEVERITY[Math.max(...states.map((s) => SEVERITY.indexOf(s)))];
    expect(this.cache.state).toBe(running ? worst : 'closed');
    expect(this.cache.connectionAvailable()).toBe(running && states.every(usable));
    for (const [i, id] of ids.entries()) {
      expect(this.cache.connectionAvailable(this.#key(id)), `${id}'s keys available`).toBe(usable(states[i]!));
    }
    for (const id of UNIVERSE) {
      const member = state.members.get(id);
      const open =
        running && member !== undefined && (usable(userState(member)) || statePath(member) === 'reconnecting.probing');
      expect(this.#memcached(id).openPorts, `open connections to ${id}`).toBe(open ? 1 : 0);
    }
    expect(this.#reports.splice(0).sort(byServer), 'what subscribe reported').toEqual(
      this.#changes(this.#checked, state),
    );
    for (const [i, id] of ids.entries()) await this.#driver(id).checkACall(states[i]!, false);
    this.#checkBadLists(running);
    this.#checked = state;
  }

  /** Closes the client (if the path did not) and checks it left nothing behind. */
  async dispose(): Promise<void> {
    await this.cache.close();
    for (const id of UNIVERSE) expect(this.#memcached(id).openPorts, `open connections to ${id}`).toBe(0);
    expect(this.clock.pending, 'timers still pending after close()').toBe(0);
    for (const id of UNIVERSE) {
      const memcached = this.#memcached(id);
      await memcached.until(() => memcached.connections === 0, `${id} sees no connection after close()`);
    }
  }

  // A server leaving (removed, or restarted with new credentials) closes its actor: a call in flight on
  // it answers `closed`, and a restarted one starts afresh with one new connection.
  async #setServers(event: Extract<PoolModelEvent, { type: 'SERVERS.SET' }>): Promise<void> {
    const before = new Map<string, ConnectionActor>(this.#members.map((id) => [id, this.#driver(id).actor()]));
    const leaving = this.#members.filter((id) => !event.servers.includes(id) || event.restart.includes(id));
    const held: [string, Promise<GetResult>][] = [];
    for (const id of leaving.filter((id) => usable(userState(this.#checked.members.get(id)!)))) {
      held.push([id, (await this.#driver(id).holdCall()).result]);
    }
    const ports = new Map<string, number>(UNIVERSE.map((id) => [id, this.#memcached(id).portsMade]));
    for (const id of event.restart) this.#restarts.set(id, (this.#restarts.get(id) ?? 0) + 1);
    this.cache.setServers(this.#list(event.servers));
    this.#members = event.servers;
    for (const [id, call] of held) {
      expect(await settledNow(call), `a call in flight on ${id} when it left`).toEqual({ ok: false, reason: 'closed' });
    }
    for (const id of event.servers) {
      const kept = before.has(id) && !event.restart.includes(id);
      const actor = this.#driver(id).actor();
      if (kept) expect(actor, `${id} is kept with its connection actor`).toBe(before.get(id));
      else expect(actor, `${id} gets a new connection actor`).not.toBe(before.get(id));
      expect(this.#memcached(id).portsMade, `connections opened to ${id}`).toBe(ports.get(id)! + (kept ? 0 : 1));
      if (!kept) expect(this.#openedAs.get(id), `${id} connects as listed`).toBe(this.#user(id));
    }
  }

  // What subscribe must have said between two states: a server that left (or was restarted) closed;
  // a kept one whose state changed, that change. Servers change independently, so in id order.
  #changes(previous: PoolModelState, next: PoolModelState): StateChange[] {
    const at = this.clock.now();
    const changes: StateChange[] = [];
    for (const [server, before] of previous.members) {
      const after =
        next.incarnation.get(server) === previous.incarnation.get(server) ? next.members.get(server) : undefined;
      const state = after ? userState(after) : 'closed';
      const { failures, attempt } = (after ?? before).context;
      if (state !== userState(before)) {
        changes.push({ server, state, previous: userState(before), failures, attempt, at });
      }
    }
    return changes.sort(byServer);
  }

  // A bad list is refused before it reaches the pool machine (whose guard would refuse it too); after
  // close() a good one is refused as well.
  #checkBadLists(running: boolean): void {
    const snapshot = this.cache.actor.getSnapshot();
    expect(() => this.cache.setServers([]), 'no servers').toThrow(InvalidOptionError);
    expect(() => this.cache.setServers([UNIVERSE[0], UNIVERSE[0]]), 'a server twice').toThrow(InvalidOptionError);
    if (!running) {
      expect(() => this.cache.setServers(this.#list(this.#members)), 'after close()').toThrow(ClientClosedError);
    }
    expect(this.cache.actor.getSnapshot(), 'a refused list changes nothing').toBe(snapshot);
  }

  #memcached(id: string): ModelServer {
    const memcached = this.memcached.get(id);
    if (!memcached) throw new Error(`no server ${id} in the pool suite`);
    return memcached;
  }

  #driver(id: string): ServerDriver {
    const driver = this.#drivers.get(id);
    if (!driver) throw new Error(`no server ${id} in the pool suite`);
    return driver;
  }

  #list(ids: readonly string[]): string[] {
    return ids.map((id) => (this.#user(id) ? `${this.#user(id)}:secret@${id}` : id));
  }

  #user(id: string): string | undefined {
    return (this.#restarts.get(id) ?? 0) % 2 === 1 ? 'user' : undefined;
  }

  // A key `id` owns among the current members, found with the distribution the client uses (ketama).
  #key(id: string): string {
    const members = this.#members;
    const memo = `${members.join(',')} ${id}`;
    const known = this.#keys.get(memo);
    if (known !== undefined) return known;
    const index = members.indexOf(id);
    if (index < 0) throw new Error(`${id} is not a member: it owns no key`);
    const servers = members.map((member) => ({
      host: member.split(':')[0]!,
      port: Number(member.split(':')[1]),
      weight: 1,
    }));
    const pick = createDistribution('ketama', servers);
    for (let i = 0; ; i++) {
      if (pick(`key-${i}`) === index) {
        this.#keys.set(memo, `key-${i}`);
        return `key-${i}`;
      }
    }
  }
}

function byServer(a: StateChange, b: StateChange): number {
  return a.server.localeCompare(b.server);
}

function describe(event: PoolModelEvent): string {
  return event.type === 'MEMBER' ? `${event.server} ${event.event.type}` : event.type;
}
