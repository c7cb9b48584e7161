import type { ActorLogic, SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import type { ConnectionInput } from '../../machines/connectionMachine';
import { connectionMachine } from '../../machines/connectionMachine';
import type { ConnectionState } from '../../src/api/Client';

export type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

// The events XState raises by itself: a delay named in `after`, and the results of the invoke with id
// `probe`. Spelled out rather than derived from the machine, on purpose: a renamed delay or a new
// invoke must show up as an uncovered transition, not be picked up silently.
export const RECONNECT_DELAY = 'xstate.after.reconnectDelay.connection.reconnecting.waiting';
export const PROBE_TIMEOUT = 'xstate.after.probeTimeout.connection.reconnecting.probing';
export const PROBE_DONE = 'xstate.done.actor.probe';
export const PROBE_ERROR = 'xstate.error.actor.probe';

/** The generation a stale result carries in the model: older than every real one (they start at 0). */
export const STALE = -1;

/** One step of the model. Each has a user-level realization in `FacadeHarness`. */
export type ModelEvent =
  | { readonly type: 'CALL.FAILED'; readonly generation: number }
  | { readonly type: 'CALL.SUCCEEDED'; readonly generation: number }
  | { readonly type: 'CLOSE' }
  | { readonly type: typeof RECONNECT_DELAY }
  | { readonly type: typeof PROBE_TIMEOUT }
  | { readonly type: typeof PROBE_DONE; readonly output: string }
  | { readonly type: typeof PROBE_ERROR; readonly error: string };

/** `connected`, `degraded`, `reconnecting.waiting`, `reconnecting.probing` or `closed`. */
export function statePath(snapshot: ConnectionSnapshot): string {
  const value = snapshot.value;
  return typeof value === 'string' ? value : `reconnecting.${value.reconnecting}`;
}

/** What the client reports for the machine in `snapshot` (`state`, `subscribe`, `servers()`). */
export function userState(snapshot: ConnectionSnapshot): ConnectionState {
  return snapshot.status === 'active' ? (statePath(snapshot).split('.')[0] as ConnectionState) : 'closed';
}

/** The state and the counters the harness compares between the client's actor and the replay. */
export function summarize(snapshot: ConnectionSnapshot): string {
  const { failures, attempt, generation } = snapshot.context;
  const where = snapshot.status === 'active' ? statePath(snapshot) : `${statePath(snapshot)} (${snapshot.status})`;
  return `${where} failures=${failures} attempt=${attempt} generation=${generation}`;
}

/**
 * The events a user can cause in `snapshot`, in the order the shortest-path search tries them (a
 * failed probe comes before a hung one, so paths reach `probes:1+` states without letting the
 * straggler call of the harness run out its deadline).
 *
 * Not offered, because the facade cannot produce them: a result of the current generation while
 * reconnecting (no call runs on a connection that does not exist yet), and a stale result on the
 * first connection (there is no older one).
 */
export function modelEvents(snapshot: ConnectionSnapshot): ModelEvent[] {
  if (snapshot.status !== 'active') return [];
  const generation = snapshot.context.generation;
  const stale: ModelEvent[] =
    generation > 0
      ? [
          { type: 'CALL.FAILED', generation: STALE },
          { type: 'CALL.SUCCEEDED', generation: STALE },
        ]
      : [];
  const close: ModelEvent = { type: 'CLOSE' };
  switch (statePath(snapshot)) {
    case 'connected':
    case 'degraded':
      return [{ type: 'CALL.FAILED', generation }, { type: 'CALL.SUCCEEDED', generation }, ...stale, close];
    case 'reconnecting.waiting':
      return [{ type: RECONNECT_DELAY }, ...stale, close];
    case 'reconnecting.probing':
      return [
        { type: PROBE_DONE, output: 'a verified connection' },
        { type: PROBE_ERROR, error: 'ECONNREFUSED' },
        { type: PROBE_TIMEOUT },
        ...stale,
        close,
      ];
    default:
      throw new Error(`the model offers no events in state ${statePath(snapshot)}: add them in modelEvents`);
  }
}

/**
 * The abstract state: what decides the machine's next moves, with every counter cut down to the
 * cases a guard or the facade can tell apart, so the graph is finite.
 * - failures: `0`, `below` (the next failure does not reach the limit), `last` (it does), `reached`;
 * - probes: `0` or `1+` failed probes (the wait doubles, but every later probe behaves alike);
 * - `first`/`later` connection: only a later one can receive a stale result.
 * `nextDelayMs` is random and the generation's exact value does not matter, so neither is kept.
 */
export function abstractState(snapshot: ConnectionSnapshot): string {
  if (snapshot.status !== 'active') return 'closed';
  const { failures, attempt, generation, allowedFailuresBeforeHealing: limit } = snapshot.context;
  const count = failures === 0 ? '0' : failures >= limit ? 'reached' : failures + 1 >= limit ? 'last' : 'below';
  return `${statePath(snapshot)} failures:${count} probes:${attempt === 0 ? '0' : '1+'} ${generation === 0 ? 'first' : 'later'}-connection`;
}

export function describeEvent(event: ModelEvent): string {
  switch (event.type) {
    case 'CALL.FAILED':
    case 'CALL.SUCCEEDED':
      return `${event.type}(${event.generation === STALE ? 'stale' : 'current'})`;
    case PROBE_DONE:
      return 'probe succeeds';
    case PROBE_ERROR:
      return 'probe fails';
    case PROBE_TIMEOUT:
      return 'probe hangs past probeTimeout';
    case RECONNECT_DELAY:
      return 'reconnect delay passes';
    default:
      return event.type;
  }
}

export type ConnectionTestModel = TestModel<ConnectionSnapshot, ModelEvent, ConnectionInput>;

/** The test model of the real machine from machines/, for one machine input. */
export function createConnectionTestModel(input: ConnectionInput): ConnectionTestModel {
  // The machine's event union has only the events the facade sends; the model's also has the ones
  // XState raises (delays, probe results), which the machine accepts all the same.
  const logic = connectionMachine as unknown as ActorLogic<ConnectionSnapshot, ModelEvent, ConnectionInput>;
  return new TestModel(logic, {
    input,
    events: modelEvents,
    serializeState: abstractState,
    serializeEvent: describeEvent,
  });
}
