import type { SnapshotFrom } from 'xstate';
import { assign, initialTransition, transition } from 'xstate';
import { connectionMachine } from '../../machines/connectionMachine';
import type { PoolEvent } from '../../machines/poolMachine';
import { poolMachine } from '../../machines/poolMachine';
import { reconnectDelay } from '../../machines/reconnectDelay';
import type { ModelEvent } from './connectionTestModel';
import { describeEvent, PROBE_DONE, PROBE_ERROR, RECONNECT_DELAY, statePath } from './connectionTestModel';
import { graphInput } from './graphOptions';

type PoolSnapshot = SnapshotFrom<typeof poolMachine>;
type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

/** The servers the pool suite can make members (`host:port`), in the order every list keeps. */
export const UNIVERSE = ['alpha:11211', 'beta:11211', 'gamma:11211'] as const;
/** The first members; the pool suite keeps at most two at a time (every pair of member states). */
export const FIRST_MEMBERS: readonly string[] = UNIVERSE.slice(0, 2);
const MAX_MEMBERS = 2;
/** 2 gives every member state: connected, degraded (one failure), reconnecting (the second). */
export const POOL_LIMIT = 2;
const INPUT = graphInput(POOL_LIMIT);

/**
 * The members, replayed with the jitter the pool harness gives the client (0): each wait is exactly
 * d, so the model knows which member's timer fires first when several are pending.
 */
const memberMachine = connectionMachine.provide({
  actions: {
    scheduleProbe: assign({
      nextDelayMs: ({ context }) =>
        reconnectDelay(context.attempt, context.recoveryDelayMs, context.maxRecoveryDelayMs, () => 0),
    }),
  },
});

/** One step of the pool model: a `setServers`, an event of one member's connection, or `close()`. */
export type PoolModelEvent =
  | { readonly type: 'SERVERS.SET'; readonly servers: readonly string[]; readonly restart: readonly string[] }
  | { readonly type: 'MEMBER'; readonly server: string; readonly event: ModelEvent }
  | { readonly type: 'CLOSE' };

/** The concrete state: the real pool machine, each member's connection machine, and the clock. */
export interface PoolModelState {
  readonly pool: PoolSnapshot;
  /** By id, in `pool.context.servers` order; a removed member is gone, a closed pool keeps them closed. */
  readonly members: ReadonlyMap<string, ConnectionSnapshot>;
  /** Bumped when an id gets a new connection actor (added again, or restarted): its old one closed. */
  readonly incarnation: ReadonlyMap<string, number>;
  readonly now: number;
  /** When each member's pending timer fires: its probe while waiting, its probe's deadline while probing. */
  readonly dueAt: ReadonlyMap<string, number>;
}

export function memberIds(state: PoolModelState): string[] {
  return state.pool.context.servers.map((server) => server.id);
}

export function initialPoolState(): PoolModelState {
  const [pool] = initialTransition(poolMachine, { servers: toPoolServers(FIRST_MEMBERS), connection: INPUT });
  const members = new Map(FIRST_MEMBERS.map((id) => [id, initialTransition(memberMachine, INPUT)[0]]));
  return { pool, members, incarnation: new Map(FIRST_MEMBERS.map((id) => [id, 0])), now: 0, dueAt: new Map() };
}

export function poolTransition(state: PoolModelState, event: PoolModelEvent): PoolModelState {
  if (event.type === 'MEMBER') return memberTransition(state, event.server, event.event);
  const poolEvent: PoolEvent = event.type === 'CLOSE' ? event : { ...event, servers: toPoolServers(event.servers) };
  const [pool] = transition(poolMachine, state.pool, poolEvent);
  if (event.type === 'CLOSE') {
    const members = new Map([...state.members].map(([id, m]) => [id, transition(memberMachine, m, event)[0]]));
    return { ...state, pool, members, dueAt: new Map() };
  }
  const members = new Map<string, ConnectionSnapshot>();
  const incarnation = new Map(state.incarnation);
  const dueAt = new Map<string, number>();
  for (const id of memberIds({ ...state, pool })) {
    const kept = state.members.get(id);
    if (kept && !event.restart.includes(id)) {
      members.set(id, kept);
      const due = state.dueAt.get(id);
      if (due !== undefined) dueAt.set(id, due);
    } else {
      members.set(id, initialTransition(memberMachine, INPUT)[0]);
      incarnation.set(id, (incarnation.get(id) ?? -1) + 1);
    }
  }
  return { pool, members, incarnation, now: state.now, dueAt };
}

function memberTransition(state: PoolModelState, id: string, event: ModelEvent): PoolModelState {
  const before = state.members.get(id);
  if (!before) throw new Error(`${id} is not a member`);
  const now = event.type === RECONNECT_DELAY ? (state.dueAt.get(id) ?? Number.NaN) : state.now;
  const [after] = transition(memberMachine, before, event as never);
  const dueAt = new Map(state.dueAt);
  if (statePath(after) !== statePath(before)) {
    dueAt.delete(id);
    if (statePath(after) === 'reconnecting.waiting') dueAt.set(id, now + after.context.nextDelayMs);
    if (statePath(after) === 'reconnecting.probing') dueAt.set(id, now + after.context.probeTimeoutMs);
  }
  return { ...state, members: new Map(state.members).set(id, after), now, dueAt };
}

/**
 * What a user (or memcached, or time) can cause: per member, what the connection suite offers minus
 * the cases it covers alone (stale results, a hung probe, a success that changes nothing); a
 * reconnect delay only for the member whose timer is strictly the first due (moving the clock fires
 * every earlier one). Then every membership change one `setServers` makes within two members: add,
 * remove, replace one by another, restart one (its credentials changed), and `close()`.
 */
export function poolModelEvents(state: PoolModelState): PoolModelEvent[] {
  if (state.pool.status !== 'active') return [];
  const ids = memberIds(state);
  const events: PoolModelEvent[] = [];
  for (const [id, member] of state.members) {
    const generation = member.context.generation;
    const on = (event: ModelEvent): PoolModelEvent => ({ type: 'MEMBER', server: id, event });
    const where = statePath(member);
    if (where === 'connected' || where === 'degraded') events.push(on({ type: 'CALL.FAILED', generation }));
    if (where === 'degraded') events.push(on({ type: 'CALL.SUCCEEDED', generation }));
    if (where === 'reconnecting.waiting' && firstDue(state) === id) events.push(on({ type: RECONNECT_DELAY }));
    if (where === 'reconnecting.probing') {
      events.push(
        on({ type: PROBE_DONE, output: 'a verified connection' }),
        on({ type: PROBE_ERROR, error: 'refused' }),
      );
    }
  }
  const others = UNIVERSE.filter((id) => !ids.includes(id));
  const set = (servers: readonly string[], restart: readonly string[] = []): PoolModelEvent => ({
    type: 'SERVERS.SET',
    servers: UNIVERSE.filter((id) => servers.includes(id)),
    restart,
  });
  for (const added of ids.length < MAX_MEMBERS ? others : []) events.push(set([...ids, added]));
  for (const removed of ids.length > 1 ? ids : []) events.push(set(ids.filter((id) => id !== removed)));
  for (const gone of ids) {
    for (const added of others) events.push(set([...ids.filter((id) => id !== gone), added]));
    events.push(set(ids, [gone]));
  }
  events.push({ type: 'CLOSE' });
  return events;
}

function firstDue(state: PoolModelState): string | undefined {
  const due = [...state.dueAt].sort(([, a], [, b]) => a - b);
  return due.length === 1 || (due.length > 1 && due[0]![1] < due[1]![1]) ? due[0]![0] : undefined;
}

/**
 * The abstract state: the pool's state and its members' states as a multiset (servers are alike but
 * for their names, so "alpha degraded, beta waiting" and the reverse are one state). Counters need no
 * cutting: with limit 2 each member state has one failure count, and later probes behave as the first.
 */
export function abstractPoolState(state: PoolModelState): string {
  if (state.pool.status !== 'active') return 'closed';
  const members = [...state.members.values()].map(statePath).sort();
  return `${members.length} member${members.length > 1 ? 's' : ''}: ${members.join(' + ')}`;
}

export function describePoolEvent(event: PoolModelEvent): string {
  switch (event.type) {
    case 'MEMBER':
      return `${host(event.server)} ${describeEvent(event.event)}`;
    case 'SERVERS.SET': {
      const restart = event.restart.length > 0 ? ` restarting ${event.restart.map(host).join(',')}` : '';
      return `setServers(${event.servers.map(host).join(',')})${restart}`;
    }
    default:
      return 'close()';
  }
}

function host(id: string): string {
  return id.split(':')[0] as string;
}

function toPoolServers(ids: readonly string[]): { id: string; weight: number }[] {
  return ids.map((id) => ({ id, weight: 1 }));
}
