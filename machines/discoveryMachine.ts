import { assign, emit, fromPromise, setup } from 'xstate';
import { closedState } from './closedState';
import { reconnectDelay } from './reconnectDelay';

/** One discovered server: `host:port` (`[ipv6]:port`) and its share of the keys. */
export interface DiscoveredServer {
  readonly id: string;
  readonly weight: number;
}

/**
 * What one poll learnt: a list (with the configuration's version when the source has one), or a
 * reply that could not be read. A source that could not be reached rejects instead.
 */
export type DiscoveryReply =
  | { readonly ok: true; readonly version?: number; readonly servers: readonly DiscoveredServer[] }
  | { readonly ok: false; readonly reason: string };

/** What the machine is created with (validated options, see src/config/discovery.ts). */
export interface DiscoveryInput {
  /** The wait between two polls that answered, ms, before jitter. */
  readonly intervalMs: number;
  /** The client's backoff after a failed poll: base wait and cap, ms. */
  readonly recoveryDelayMs: number;
  readonly maxRecoveryDelayMs: number;
  /** How long one poll may take before it counts as failed, ms. */
  readonly pollTimeoutMs: number;
  /** The list the client starts with (its `servers` option), maybe empty. */
  readonly servers: readonly DiscoveredServer[];
}

export interface DiscoveryContext extends DiscoveryInput {
  /** The list in force: the last one applied. */
  servers: readonly DiscoveredServer[];
  /** The version of the list in force, when its source numbers them. */
  version: number | undefined;
  /** Consecutive failed polls (0 after a poll that answered a readable list). */
  attempt: number;
  /** The wait before the next poll, ms (set on entering `waiting` or `backingOff`). */
  nextDelayMs: number;
  /** The last poll's answer, read by `applying`. */
  reply: DiscoveryReply | undefined;
}

export type DiscoveryEvent = { type: 'STOP' };

/** What the machine reports happened, heard with `actor.on(type, handler)`. */
export type DiscoveryEmitted =
  /**
   * A newer, different list is the one in force: what it added and removed (a kept server's new
   * weight is in `servers`). The client applies it on hearing this, after the transition, so that
   * driving its pool never runs inside this machine's step.
   */
  | {
      type: 'applied';
      version: number | undefined;
      servers: readonly DiscoveredServer[];
      added: readonly string[];
      removed: readonly string[];
    }
  /** The poll answered the list in force, or one whose version is not newer: nothing changed. */
  | { type: 'unchanged'; version: number | undefined; stale: boolean }
  /** The source could not be reached, or did not answer within `pollTimeoutMs`. */
  | { type: 'poll.failed'; attempt: number; error: unknown }
  /** The source answered something that is not a list. */
  | { type: 'reply.invalid'; attempt: number; reason: string }
  /** After a failure, the next poll is due in `delayMs`. */
  | { type: 'retry.scheduled'; attempt: number; delayMs: number }
  | { type: 'stopped' };

/** Polls are spread over [0.9, 1.1) of the interval so that a fleet of clients does not poll in step. */
export function pollDelay(intervalMs: number, random: () => number): number {
  const r = random();
  const jitter = r >= 0 && r < 1 ? r : 0.5;
  return Math.max(1, Math.floor(intervalMs * (0.9 + 0.2 * jitter)));
}

/** The `schedulePoll` and `scheduleRetry` actions for a random source (the client injects its own). */
export function discoverySchedulesWith(random: () => number) {
  return {
    schedulePoll: assign<DiscoveryContext, DiscoveryEvent, undefined, DiscoveryEvent, never>({
      nextDelayMs: ({ context }) => pollDelay(context.intervalMs, random),
    }),
    scheduleRetry: assign<DiscoveryContext, DiscoveryEvent, undefined, DiscoveryEvent, never>({
      nextDelayMs: ({ context }) =>
        reconnectDelay(context.attempt - 1, context.recoveryDelayMs, context.maxRecoveryDelayMs, random),
    }),
  };
}

function sameList(a: readonly DiscoveredServer[], b: readonly DiscoveredServer[]): boolean {
  if (a.length !== b.length) return false;
  const weights = new Map(a.map((server) => [server.id, server.weight]));
  return b.every((server) => weights.get(server.id) === server.weight);
}

function listOf(reply: DiscoveryReply | undefined): readonly DiscoveredServer[] {
  return reply?.ok ? reply.servers : [];
}

function versionOf(reply: DiscoveryReply | undefined): number | undefined {
  return reply?.ok ? reply.version : undefined;
}

/**
 * Where the client's servers come from: a source polled now and then.
 *
 * polling --answer--> applying --newer, different list--> waiting (emits `applied`)
 *                              --same list, or not newer--> waiting
 *                              --unreadable answer--> backingOff
 *         --failed / pollTimeout--> backingOff --retryDelay (the client's backoff)--> polling
 * waiting --pollDelay (jittered interval)--> polling;  STOP --> stopped (final).
 *
 * Pure: the poll is injected with `.provide()` by src/discovery/Discovery.ts, which applies each
 * `applied` list through the client's `setServers`.
 */
export const discoveryMachine = setup({
  types: {
    context: {} as DiscoveryContext,
    events: {} as DiscoveryEvent,
    input: {} as DiscoveryInput,
    emitted: {} as DiscoveryEmitted,
  },
  guards: {
    isUnreadableReply: ({ context }) => context.reply?.ok !== true,
    isNotNewer: ({ context }) => {
      const version = versionOf(context.reply);
      return version !== undefined && context.version !== undefined && version <= context.version;
    },
    isSameList: ({ context }) => sameList(context.servers, listOf(context.reply)),
  },
  actions: {
    keepReply: assign({ reply: (_, params: { reply: DiscoveryReply }) => params.reply }),
    countFailure: assign({ attempt: ({ context }) => context.attempt + 1 }),
    resetFailures: assign({ attempt: 0 }),
    noteVersion: assign({ version: ({ context }) => versionOf(context.reply) ?? context.version }),
    noteList: assign({
      servers: ({ context }) => listOf(context.reply),
      version: ({ context }) => versionOf(context.reply),
    }),
    ...discoverySchedulesWith(Math.random),
    reportApplied: emit(({ context }) => {
      const next = listOf(context.reply);
      const before = new Set(context.servers.map((server) => server.id));
      const after = new Set(next.map((server) => server.id));
      return {
        type: 'applied' as const,
        version: versionOf(context.reply),
        servers: next,
        added: next.filter((server) => !before.has(server.id)).map((server) => server.id),
        removed: context.servers.filter((server) => !after.has(server.id)).map((server) => server.id),
      };
    }),
    reportUnchanged: emit(({ context }) => ({
      type: 'unchanged' as const,
      version: versionOf(context.reply),
      stale: !sameList(context.servers, listOf(context.reply)),
    })),
    reportPollFailed: emit(({ context }, params: { error: unknown }) => ({
      type: 'poll.failed' as const,
      attempt: context.attempt,
      error: params.error,
    })),
    reportUnreadable: emit(({ context }) => ({
      type: 'reply.invalid' as const,
      attempt: context.attempt,
      reason: context.reply?.ok === false ? context.reply.reason : 'no reply',
    })),
    reportRetryScheduled: emit(({ context }) => ({
      type: 'retry.scheduled' as const,
      attempt: context.attempt,
      delayMs: context.nextDelayMs,
    })),
    reportStopped: emit({ type: 'stopped' as const }),
  },
  actors: {
    // Injected by the client: ask the source once. Rejects when it cannot be reached.
    poll: fromPromise<DiscoveryReply, { attempt: number }>(async () => {
      throw new Error('no poll provided: use discoveryMachine.provide({ actors: { poll } })');
    }),
  },
  delays: {
    pollDelay: ({ context }) => context.nextDelayMs,
    retryDelay: ({ context }) => context.nextDelayMs,
    pollTimeout: ({ context }) => context.pollTimeoutMs,
  },
}).createMachine({
  id: 'discovery',
  context: ({ input }) => ({ ...input, version: undefined, attempt: 0, nextDelayMs: 0, reply: undefined }),
  initial: 'polling',
  states: {
    polling: {
      description: 'One poll of the source is in flight; the list in force stays meanwhile.',
      invoke: {
        id: 'poll',
        src: 'poll',
        input: ({ context }) => ({ attempt: context.attempt }),
        onDone: {
          target: 'applying',
          actions: { type: 'keepReply', params: ({ event }) => ({ reply: event.output }) },
        },
        onError: {
          target: 'backingOff',
          actions: ['countFailure', { type: 'reportPollFailed', params: ({ event }) => ({ error: event.error }) }],
        },
      },
      after: {
        pollTimeout: {
          target: 'backingOff',
          actions: ['countFailure', { type: 'reportPollFailed', params: () => ({ error: 'timeout' }) }],
        },
      },
      on: { STOP: 'stopped' },
    },
    applying: {
      description: 'Decides what the answer changes: nothing, or the whole list at once.',
      always: [
        { guard: 'isUnreadableReply', target: 'backingOff', actions: ['countFailure', 'reportUnreadable'] },
        { guard: 'isNotNewer', target: 'waiting', actions: ['resetFailures', 'reportUnchanged'] },
        { guard: 'isSameList', target: 'waiting', actions: ['resetFailures', 'noteVersion', 'reportUnchanged'] },
        {
          target: 'waiting',
          actions: ['reportApplied', 'noteList', 'resetFailures'],
        },
      ],
    },
    waiting: {
      description: 'The list in force is the latest; the next poll is due after the jittered interval.',
      entry: 'schedulePoll',
      after: { pollDelay: 'polling' },
      on: { STOP: 'stopped' },
    },
    backingOff: {
      description: 'The last poll failed; the list in force stays and the next poll waits the backoff.',
      entry: ['scheduleRetry', 'reportRetryScheduled'],
      after: { retryDelay: 'polling' },
      on: { STOP: 'stopped' },
    },
    stopped: closedState('close() was called: no poll in flight, no timer pending.', 'reportStopped'),
  },
});

export type DiscoveryMachine = typeof discoveryMachine;
