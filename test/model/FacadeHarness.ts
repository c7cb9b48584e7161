import { expect } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { initialTransition, SimulatedClock, transition, waitFor } from 'xstate';
import type { StatePath, TestParam } from 'xstate/graph';
import type { ConnectionInput } from '../../machines/connectionMachine';
import { connectionMachine } from '../../machines/connectionMachine';
import type { Client, ConnectionState, GetResult, StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import type { Clock } from '../../src/core/clock';
import { ClientClosedError, ConnectionDownError, ConnectionError, ServerError } from '../../src/core/errors';
import type { FakePort } from '../support/FakeMemcached';
import { FakeMemcached, refusedError } from '../support/FakeMemcached';
import { PENDING, settledNow } from '../support/settledNow';
import type { ConnectionSnapshot, ModelEvent } from './connectionTestModel';
import {
  abstractState,
  PROBE_DONE,
  PROBE_ERROR,
  PROBE_TIMEOUT,
  RECONNECT_DELAY,
  STALE,
  statePath,
} from './connectionTestModel';

/**
 * The facade's options in the graph suite. The call deadline is long next to the reconnect waits,
 * so a call held on a dropped connection is still in flight when the next connection is up; only a
 * hung probe (probeTimeout = connectTimeoutMs + timeoutMs) outlasts it.
 */
export const GRAPH_OPTIONS = {
  servers: 'fake:11211',
  timeoutMs: 60_000,
  connectTimeoutMs: 1_000,
  recoveryDelayMs: 1_000,
  maxRecoveryDelayMs: 4_000,
} as const;

/** What the facade gives its machine for `GRAPH_OPTIONS`: the model is built from the same input. */
export function graphInput(allowedFailuresBeforeHealing: number): ConnectionInput {
  return {
    allowedFailuresBeforeHealing,
    recoveryDelayMs: GRAPH_OPTIONS.recoveryDelayMs,
    maxRecoveryDelayMs: GRAPH_OPTIONS.maxRecoveryDelayMs,
    probeTimeoutMs: GRAPH_OPTIONS.connectTimeoutMs + GRAPH_OPTIONS.timeoutMs,
  };
}

// The jitter source handed to the facade: the edges of [0, 1) and the middle, in turn. Multiples of
// 1/1024, so every simulated time stays exact (SimulatedClock compares `now - start >= delay`).
const JITTERS = [0, 0.5, 1023 / 1024] as const;

/** A call started on a connection that the model has since dropped; its result is "stale". */
interface Straggler {
  readonly promise: Promise<GetResult>;
  readonly generation: number;
  readonly startedAt: number;
  /** Set when the harness saw it settle (settled by the test, by its deadline, or by close()). */
  over: boolean;
}

function userState(snapshot: ConnectionSnapshot): ConnectionState {
  return snapshot.status === 'active' ? (statePath(snapshot).split('.')[0] as ConnectionState) : 'closed';
}

/** The facade, over the fake port and a simulated clock, driven by model events as a user would. */
export class FacadeHarness {
  readonly fake = new FakeMemcached();
  readonly clock = new SimulatedClock();
  readonly cache: Client;
  readonly #timers = new Set<unknown>();
  readonly #reports: StateChange[] = [];
  #jitter = 0;
  #lastJitter = Number.NaN;
  // The pure machine, replayed on the concrete events the harness caused: the expected state.
  #model: ConnectionSnapshot;
  #checked: ConnectionSnapshot;
  #straggler: Straggler | undefined;
  #probePort: FakePort | undefined;

  constructor(allowedFailuresBeforeHealing: number, inspect: (event: InspectionEvent) => void) {
    // The port that does not fail its calls on close (memjs's own behaviour, memjs #162): the hard
    // case for the facade, and the only way a result can arrive from a dropped connection.
    this.fake.keepCallsOnClose = true;
    this.cache = createClientWithPort(
      { ...GRAPH_OPTIONS, allowedFailuresBeforeHealing, clock: this.#countingClock(), inspect },
      this.fake.factory,
      {
        random: () => {
          this.#lastJitter = JITTERS[this.#jitter++ % JITTERS.length]!;
          return this.#lastJitter;
        },
      },
    );
    this.cache.subscribe((change) => this.#reports.push(change));
    [this.#model] = initialTransition(connectionMachine, graphInput(allowedFailuresBeforeHealing));
    this.#checked = this.#model;
    expect(this.cache.connectionActor().getSnapshot().context).toMatchObject(graphInput(allowedFailuresBeforeHealing));
  }

  /** The executors for `TestModel.testPath`: every model event, and the check of every state. */
  params(path: StatePath<ConnectionSnapshot, ModelEvent>): TestParam<ConnectionSnapshot, ModelEvent> {
    const events: Record<string, (step: { event: ModelEvent }) => Promise<void>> = {};
    for (const step of path.steps) events[step.event.type] = ({ event }) => this.apply(event);
    // 'xstate.init' is the path's first step: nothing to do but check the initial state.
    delete events['xstate.init'];
    return { events, states: { '*': (state) => this.check(state) } } as TestParam<ConnectionSnapshot, ModelEvent>;
  }

  /** Causes `event` through the facade, as a user (or memcached, or time) would. */
  async apply(event: ModelEvent): Promise<void> {
    const before = this.#model;
    const concrete = this.#concrete(event, before);
    const [after] = transition(connectionMachine, before, concrete as never);
    switch (event.type) {
      case 'CALL.FAILED':
        if (event.generation === STALE) await this.#settleStraggler({ error: refusedError() }, 'connection');
        else await this.#failingCall(userState(after) === 'reconnecting');
        break;
      case 'CALL.SUCCEEDED':
        if (event.generation === STALE) await this.#settleStraggler({ value: undefined }, 'ok');
        else await this.#call('up', { ok: true, item: undefined });
        break;
      case RECONNECT_DELAY:
        this.#passReconnectDelay();
        break;
      case PROBE_DONE:
        this.fake.settleNext({ value: undefined }, { op: 'ping', port: this.#probePort });
        break;
      case PROBE_ERROR:
        this.fake.settleNext({ error: refusedError() }, { op: 'ping', port: this.#probePort });
        break;
      case PROBE_TIMEOUT:
        this.#passProbeTimeout();
        break;
      case 'CLOSE':
        await this.#close();
        break;
      default:
        throw new Error(`no user-level action realizes model event ${(event as ModelEvent).type}`);
    }
    this.#model = after;
    // A probe's answer reaches the machine a few promise hops later; everything else is synchronous.
    await waitFor(this.cache.connectionActor(), (snapshot) => sameState(snapshot, after), { timeout: 2_000 }).catch(
      () => {
        throw new Error(
          `after ${event.type} the facade's machine is in ${summarize(this.cache.connectionActor().getSnapshot())}, ` +
            `the model in ${summarize(after)}`,
        );
      },
    );
  }

  /** What a user can see in the state the model says the facade is in. */
  async check(pathState: ConnectionSnapshot): Promise<void> {
    const model = this.#model;
    // The replay and the path agree on the abstract state (else the path was not replayed faithfully).
    expect(abstractState(model)).toBe(abstractState(pathState));
    expect(summarize(this.cache.connectionActor().getSnapshot())).toBe(summarize(model));
    const state = userState(model);
    expect(this.cache.state).toBe(state);
    expect(this.cache.connectionAvailable()).toBe(state === 'connected' || state === 'degraded');
    this.#checkReports(model);
    expect(this.fake.openPorts, 'open connections').toBe(
      state === 'connected' || state === 'degraded' || statePath(model) === 'reconnecting.probing' ? 1 : 0,
    );
    await this.#checkStraggler();
    await this.#checkACall(state);
    this.#checked = model;
  }

  /** Closes the client (if the path did not) and checks it left nothing behind. */
  async dispose(): Promise<void> {
    await this.cache.close();
    expect(this.fake.openPorts, 'open connections after close()').toBe(0);
    expect(this.#timers.size, 'timers still pending after close()').toBe(0);
  }

  // Stale results carry the straggler's generation, current ones the facade's.
  #concrete(event: ModelEvent, before: ConnectionSnapshot): ModelEvent {
    if (event.type !== 'CALL.FAILED' && event.type !== 'CALL.SUCCEEDED') return event;
    if (event.generation !== STALE) return { type: event.type, generation: before.context.generation };
    const straggler = this.#straggler;
    if (!straggler || straggler.over) {
      throw new Error(`${event.type}(stale) needs a call still in flight from an older connection; there is none`);
    }
    expect(straggler.generation).toBeLessThan(before.context.generation);
    return { type: event.type, generation: straggler.generation };
  }

  async #call(mode: 'up' | 'refusing', expected: GetResult): Promise<void> {
    this.fake.mode = mode;
    const reached = this.fake.calls.length;
    const result = await this.cache.get('key');
    if (expected.ok) expect(result).toEqual(expected);
    else expect(result).toMatchObject(expected);
    expect(this.fake.calls.length, 'the call reached memcached').toBe(reached + 1);
  }

  async #failingCall(drops: boolean): Promise<void> {
    // A call left in flight on the connection about to be dropped: its result will be stale.
    if (drops && !(this.#straggler && !this.#straggler.over)) this.#holdStraggler();
    await this.#call('refusing', { ok: false, reason: 'connection' });
  }

  #holdStraggler(): void {
    this.fake.mode = 'manual';
    const promise = this.cache.get('straggler');
    this.#straggler = {
      promise,
      generation: this.cache.connectionActor().getSnapshot().context.generation,
      startedAt: this.clock.now(),
      over: false,
    };
    expect(this.fake.pending.map((call) => call.op)).toContain('get');
  }

  async #settleStraggler(outcome: { value?: unknown } | { error: unknown }, expected: 'ok' | 'connection') {
    const straggler = this.#straggler!;
    this.fake.settleNext(outcome, { op: 'get' });
    const result = await straggler.promise;
    straggler.over = true;
    if (expected === 'ok') expect(result).toEqual({ ok: true, item: undefined });
    else {
      expect(result).toMatchObject({ ok: false, reason: 'connection' });
      expect((result as { error?: unknown }).error).toBeInstanceOf(ConnectionError);
    }
  }

  #passReconnectDelay(): void {
    const { nextDelayMs, attempt } = this.cache.connectionActor().getSnapshot().context;
    // Written out, not imported from machines/reconnectDelay.ts: d = min(base * 2^attempt, max).
    const d = Math.min(GRAPH_OPTIONS.recoveryDelayMs * 2 ** attempt, GRAPH_OPTIONS.maxRecoveryDelayMs);
    expect(nextDelayMs).toBe(Math.max(d, Math.floor(d + d * this.#lastJitter)));
    // The probe's ping will wait for the next step to decide its fate.
    this.fake.mode = 'manual';
    const ports = this.fake.ports.length;
    this.clock.increment(nextDelayMs - 1);
    expect(statePath(this.cache.connectionActor().getSnapshot()), '1 ms before the reconnect delay').toBe(
      'reconnecting.waiting',
    );
    expect(this.fake.ports.length, 'no probe before the delay').toBe(ports);
    this.clock.increment(1);
    expect(statePath(this.cache.connectionActor().getSnapshot())).toBe('reconnecting.probing');
    expect(this.fake.ports.length, 'the probe opened one new connection').toBe(ports + 1);
    this.#probePort = this.fake.ports.at(-1);
    expect(this.fake.pending.some((call) => call.op === 'ping' && call.port === this.#probePort)).toBe(true);
  }

  #passProbeTimeout(): void {
    const { probeTimeoutMs } = this.cache.connectionActor().getSnapshot().context;
    this.clock.increment(probeTimeoutMs - 1);
    expect(statePath(this.cache.connectionActor().getSnapshot()), '1 ms before probeTimeout').toBe(
      'reconnecting.probing',
    );
    this.clock.increment(1);
    expect(statePath(this.cache.connectionActor().getSnapshot())).toBe('reconnecting.waiting');
    expect(this.#probePort?.closed, 'the hung probe connection is closed').toBe(true);
  }

  async #close(): Promise<void> {
    await this.cache.close();
    const straggler = this.#straggler;
    if (straggler && !straggler.over) {
      expect(await settledNow(straggler.promise), 'a call in flight at close()').toEqual({
        ok: false,
        reason: 'closed',
      });
      straggler.over = true;
    }
  }

  #checkReports(model: ConnectionSnapshot): void {
    const previous = userState(this.#checked);
    const state = userState(model);
    const expected: StateChange[] =
      state === previous
        ? []
        : [
            {
              server: 'fake:11211',
              state,
              previous,
              failures: model.context.failures,
              attempt: model.context.attempt,
              at: this.clock.now(),
            },
          ];
    expect(this.#reports.splice(0), 'what subscribe reported').toEqual(expected);
  }

  // A straggler answers `timeout` exactly when its deadline passes, and that moves nothing.
  async #checkStraggler(): Promise<void> {
    const straggler = this.#straggler;
    if (!straggler || straggler.over) return;
    const outcome = await settledNow(straggler.promise);
    if (this.clock.now() < straggler.startedAt + GRAPH_OPTIONS.timeoutMs) {
      expect(outcome, 'a call in flight on a dropped connection, before its deadline').toBe(PENDING);
      return;
    }
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
    straggler.over = true;
  }

  // One more call, chosen so that it cannot move the state: a server error while connected (it must
  // reach memcached and not count), any call while reconnecting or closed (it must not reach it).
  async #checkACall(state: ConnectionState): Promise<void> {
    const reached = this.fake.calls.length;
    if (state === 'connected' || state === 'degraded') {
      this.fake.mode = 'serverError';
      const result = await this.cache.get('key');
      expect(result).toMatchObject({ ok: false, reason: 'server' });
      expect((result as { error?: unknown }).error).toBeInstanceOf(ServerError);
      expect(this.fake.calls.length, 'the call reached memcached').toBe(reached + 1);
      expect(summarize(this.cache.connectionActor().getSnapshot()), 'a server error counts for nothing').toBe(
        summarize(this.#model),
      );
      return;
    }
    const reason = state === 'closed' ? 'closed' : 'reconnecting';
    expect(await this.cache.get('key')).toEqual({ ok: false, reason });
    expect(await this.cache.set({ key: 'key', value: 'v' })).toBe(false);
    await expect(this.cache.ping()).rejects.toBeInstanceOf(
      state === 'closed' ? ClientClosedError : ConnectionDownError,
    );
    expect(this.fake.calls.length, 'calls fail fast, without I/O').toBe(reached);
  }

  // The simulated clock, counting the timers the facade leaves pending.
  #countingClock(): Clock {
    const clock = this.clock;
    const timers = this.#timers;
    return {
      now: () => clock.now(),
      setTimeout(fn, ms) {
        const handle: unknown = clock.setTimeout(() => {
          timers.delete(handle);
          fn();
        }, ms);
        timers.add(handle);
        return handle;
      },
      clearTimeout(handle) {
        timers.delete(handle);
        clock.clearTimeout(handle as number);
      },
    };
  }
}

function sameState(a: ConnectionSnapshot, b: ConnectionSnapshot): boolean {
  return summarize(a) === summarize(b);
}

function summarize(snapshot: ConnectionSnapshot): string {
  const { failures, attempt, generation } = snapshot.context;
  const where = snapshot.status === 'active' ? statePath(snapshot) : `${statePath(snapshot)} (${snapshot.status})`;
  return `${where} failures=${failures} attempt=${attempt} generation=${generation}`;
}
