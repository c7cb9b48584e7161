import { and, assign, emit, fromPromise, setup } from 'xstate';
import { closedState } from './closedState';
import { reconnectDelay } from './reconnectDelay';

/** What the machine is created with (validated options, see src/options.ts). */
export interface ConnectionInput {
  /** Consecutive connection failures that start healing (>= 1). */
  readonly allowedFailuresBeforeHealing: number;
  /** Base wait before the first probe, ms. */
  readonly recoveryDelayMs: number;
  /** Cap on the base wait as probes keep failing, ms. */
  readonly maxRecoveryDelayMs: number;
  /** How long one probe may take before it counts as failed, ms. */
  readonly probeTimeoutMs: number;
}

export interface ConnectionContext extends ConnectionInput {
  /** Consecutive connection failures of the current generation. */
  failures: number;
  /** Failed probes since the connection was dropped (0 while connected). */
  attempt: number;
  /**
   * The connection epoch. It moves when the connection is dropped, so results of calls that
   * were started on the old connection cannot move the state of the new one.
   */
  generation: number;
  /** The wait before the pending probe, ms (set on entering `reconnecting.waiting`). */
  nextDelayMs: number;
}

export type ConnectionEvent =
  /**
   * Calls of generation `generation` failed at the connection level (socket, timeout, no server):
   * `count` of them at once (default 1), as a sweep of deadlines reports its timeouts.
   */
  | { type: 'CALL.FAILED'; generation: number; count?: number }
  /** A call of generation `generation` got an answer from memcached (a miss counts). */
  | { type: 'CALL.SUCCEEDED'; generation: number }
  | { type: 'CLOSE' };

/**
 * What the machine reports happened, heard with `actor.on(type, handler)`. Each carries the counts
 * as they are once the transition is done, so a listener never reads the snapshot to explain it.
 */
export type ConnectionEmitted =
  /** connected -> degraded: the first counted failure. */
  | { type: 'degraded'; failures: number }
  /** degraded -> connected: a success reset the count. */
  | { type: 'recovered' }
  /** The failure limit was reached: the connection is dropped and healing starts. */
  | { type: 'dropped'; failures: number }
  /** A probe is due in `delayMs` (the `attempt`-th of this outage, 0-based). */
  | { type: 'probe.scheduled'; delayMs: number; attempt: number }
  /** A probe failed or timed out; `attempt` failed probes so far. */
  | { type: 'probe.failed'; attempt: number }
  /** A probe answered: its connection is adopted after `failedProbes` failed ones. */
  | { type: 'healed'; failedProbes: number }
  /** close(): final. */
  | { type: 'closed'; failures: number; attempt: number };

/**
 * The `scheduleProbe` action for a random source: the one definition, used by the machine with
 * `Math.random` and by the facade with an injected source (`.provide({ actions: { scheduleProbe } })`).
 */
export function scheduleProbeWith(random: () => number) {
  return assign<ConnectionContext, ConnectionEvent, undefined, ConnectionEvent, never>({
    nextDelayMs: ({ context }) =>
      reconnectDelay(context.attempt, context.recoveryDelayMs, context.maxRecoveryDelayMs, random),
  });
}

/** What the probe actor is given: the generation it will heal into. */
export interface ProbeInput {
  readonly generation: number;
  readonly attempt: number;
  /** The id of the connection actor that probes: in a pool, the server's `host:port`. */
  readonly server: string;
}

/**
 * The lifecycle of one memcached connection.
 *
 * connected --failure--> degraded --failures reach the limit--> reconnecting.waiting
 *   --reconnectDelay--> reconnecting.probing --probe ok--> connected
 *                                            --probe failed / probeTimeout--> waiting (longer delay)
 * CLOSE from anywhere --> closed (final).
 *
 * Pure: the probe, and what happens to sockets on drop/adopt/release, are injected with `.provide()`
 * by src/pool/ServerConnection.ts. The defaults here do no I/O, so the machine can be run and
 * graphed on its own. What happened is emitted (`ConnectionEmitted`), so listeners need not diff
 * snapshots.
 */
/** How many failures an event reports: a CALL.FAILED's `count`, 1 by default. */
function failuresIn(event: ConnectionEvent): number {
  return event.type === 'CALL.FAILED' ? (event.count ?? 1) : 1;
}

export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
    emitted: {} as ConnectionEmitted,
  },
  guards: {
    isCurrentGeneration: ({ context, event }) =>
      (event.type === 'CALL.FAILED' || event.type === 'CALL.SUCCEEDED') && event.generation === context.generation,
    reachesFailureLimit: ({ context, event }) =>
      context.failures + failuresIn(event) >= context.allowedFailuresBeforeHealing,
  },
  actions: {
    countFailure: assign({ failures: ({ context, event }) => context.failures + failuresIn(event) }),
    resetFailures: assign({ failures: 0, attempt: 0, nextDelayMs: 0 }),
    startNewGeneration: assign({ generation: ({ context }) => context.generation + 1, attempt: 0 }),
    scheduleProbe: scheduleProbeWith(Math.random),
    countProbeFailure: assign({ attempt: ({ context }) => context.attempt + 1 }),
    reportDegraded: emit(({ context }) => ({ type: 'degraded' as const, failures: context.failures })),
    reportRecovered: emit({ type: 'recovered' as const }),
    reportDropped: emit(({ context }) => ({ type: 'dropped' as const, failures: context.failures })),
    reportProbeScheduled: emit(({ context }) => ({
      type: 'probe.scheduled' as const,
      delayMs: context.nextDelayMs,
      attempt: context.attempt,
    })),
    reportProbeFailed: emit(({ context }) => ({ type: 'probe.failed' as const, attempt: context.attempt })),
    reportHealed: emit(({ context }) => ({ type: 'healed' as const, failedProbes: context.attempt })),
    reportClosed: emit(({ context }) => ({
      type: 'closed' as const,
      failures: context.failures,
      attempt: context.attempt,
    })),
    // Injected by the facade: close the current connection (its calls then settle by their deadline).
    dropConnection: () => {},
    // Injected by the facade: swap in the client the probe verified (the probe's output).
    adoptConnection: (_, _params: { connection: unknown }) => {},
    // Injected by the facade: close whatever client is current.
    releaseConnection: () => {},
  },
  actors: {
    // Injected by the facade: open a fresh connection to the server and ping it. Resolves with it.
    probe: fromPromise<unknown, ProbeInput>(async () => {
      throw new Error('no probe provided: use connectionMachine.provide({ actors: { probe } })');
    }),
  },
  delays: {
    reconnectDelay: ({ context }) => context.nextDelayMs,
    probeTimeout: ({ context }) => context.probeTimeoutMs,
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    allowedFailuresBeforeHealing: input.allowedFailuresBeforeHealing,
    recoveryDelayMs: input.recoveryDelayMs,
    maxRecoveryDelayMs: input.maxRecoveryDelayMs,
    probeTimeoutMs: input.probeTimeoutMs,
    failures: 0,
    attempt: 0,
    generation: 0,
    nextDelayMs: 0,
  }),
  initial: 'connected',
  on: {
    CLOSE: { target: '.closed' },
  },
  states: {
    connected: {
      description: 'Calls go to memcached. A success sends no event: this is the hot path.',
      on: {
        'CALL.FAILED': [
          {
            guard: and(['isCurrentGeneration', 'reachesFailureLimit']),
            target: 'reconnecting',
            actions: 'countFailure',
          },
          { guard: 'isCurrentGeneration', target: 'degraded', actions: ['countFailure', 'reportDegraded'] },
        ],
      },
    },
    degraded: {
      description: 'Calls still go to memcached; consecutive connection failures are counted.',
      on: {
        'CALL.FAILED': [
          {
            guard: and(['isCurrentGeneration', 'reachesFailureLimit']),
            target: 'reconnecting',
            actions: 'countFailure',
          },
          { guard: 'isCurrentGeneration', actions: 'countFailure' },
        ],
        'CALL.SUCCEEDED': {
          guard: 'isCurrentGeneration',
          target: 'connected',
          actions: ['resetFailures', 'reportRecovered'],
        },
      },
    },
    reconnecting: {
      description: 'The client is dropped; calls answer not-ok without I/O while one probe at a time tries to heal.',
      entry: ['dropConnection', 'startNewGeneration', 'reportDropped'],
      initial: 'waiting',
      states: {
        waiting: {
          entry: ['scheduleProbe', 'reportProbeScheduled'],
          after: { reconnectDelay: { target: 'probing' } },
        },
        probing: {
          invoke: {
            id: 'probe',
            src: 'probe',
            input: ({ context, self }) => ({
              generation: context.generation,
              attempt: context.attempt,
              server: self.id,
            }),
            onDone: {
              target: '#connection.connected',
              actions: [
                { type: 'adoptConnection', params: ({ event }) => ({ connection: event.output }) },
                'reportHealed',
                'resetFailures',
              ],
            },
            onError: { target: 'waiting', actions: ['countProbeFailure', 'reportProbeFailed'] },
          },
          after: { probeTimeout: { target: 'waiting', actions: ['countProbeFailure', 'reportProbeFailed'] } },
        },
      },
    },
    closed: closedState('close() was called: timers cancelled, probe stopped, sockets closed.', [
      'releaseConnection',
      'reportClosed',
    ]),
  },
});

export type ConnectionMachine = typeof connectionMachine;
