import { expect } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { initialTransition, transition } from 'xstate';
import type { StatePath, TestParam } from 'xstate/graph';
import { connectionMachine } from '../../machines/connectionMachine';
import type { Client, GetResult, StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import { ConnectionError } from '../../src/core/errors';
import { PENDING, settledNow } from '../support/settledNow';
import { CountingClock } from './CountingClock';
import type { ConnectionSnapshot, ModelEvent } from './connectionTestModel';
import { abstractState, STALE, statePath, summarize, userState } from './connectionTestModel';
import { GRAPH_OPTIONS, graphInput } from './graphOptions';
import type { ModelServer } from './ModelServer';
import { ServerDriver } from './ServerDriver';

// The jitter source handed to the facade: the edges of [0, 1) and the middle, in turn. Multiples of
// 1/1024, so every simulated time stays exact (SimulatedClock compares `now - start >= delay`).
const JITTERS = [0, 0.5, 1023 / 1024] as const;

const SERVER = GRAPH_OPTIONS.servers;

/** A call started on a connection that the model has since dropped; its result is "stale". */
interface Straggler {
  readonly promise: Promise<GetResult>;
  readonly generation: number;
  readonly startedAt: number;
  /** Set when the harness saw it settle (settled by the test, by its deadline, or by close()). */
  over: boolean;
}

/**
 * The facade, over a ModelServer (the fake port, or a real adapter to a fake memcached on loopback)
 * and a simulated clock, driven by model events as a user would.
 */
export class FacadeHarness {
  readonly clock = new CountingClock();
  readonly cache: Client;
  readonly server: ServerDriver;
  readonly #reports: StateChange[] = [];
  #jitter = 0;
  #lastJitter = Number.NaN;
  // The pure machine, replayed on the concrete events the harness caused: the expected state.
  #model: ConnectionSnapshot;
  #checked: ConnectionSnapshot;
  #straggler: Straggler | undefined;

  constructor(
    readonly memcached: ModelServer,
    allowedFailuresBeforeHealing: number,
    inspect: (event: InspectionEvent) => void,
  ) {
    this.cache = createClientWithPort(
      { ...GRAPH_OPTIONS, allowedFailuresBeforeHealing, clock: this.clock, inspect },
      memcached.factory,
      {
        random: () => {
          this.#lastJitter = JITTERS[this.#jitter++ % JITTERS.length]!;
          return this.#lastJitter;
        },
      },
    );
    this.cache.subscribe((change) => this.#reports.push(change));
    this.server = new ServerDriver(this.cache, SERVER, memcached, this.clock, () => 'key');
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
    if (event.type === 'CLOSE') await this.#close();
    else if (event.type === 'CALL.FAILED' && event.generation === STALE) {
      await this.#settleStraggler(false);
    } else if (event.type === 'CALL.SUCCEEDED' && event.generation === STALE) {
      await this.#settleStraggler(true);
    } else {
      // A failure that drops the connection first leaves a call in flight on it: the straggler.
      const drops = event.type === 'CALL.FAILED' && userState(after) === 'reconnecting';
      if (drops) await this.#holdStraggler();
      await this.server.cause(event, GRAPH_OPTIONS, this.#lastJitter);
      if (drops && !this.memcached.lateResults) await this.#strandedByDrop();
    }
    this.#model = after;
    await this.server.reaches(after, event.type);
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
    expect(this.memcached.openPorts, 'open connections').toBe(
      state === 'connected' || state === 'degraded' || statePath(model) === 'reconnecting.probing' ? 1 : 0,
    );
    await this.#checkStraggler();
    await this.server.checkACall(state, true);
    this.#checked = model;
  }

  /** Closes the client (if the path did not) and checks it left nothing behind. */
  async dispose(): Promise<void> {
    await this.cache.close();
    const memcached = this.memcached;
    expect(memcached.openPorts, 'open connections after close()').toBe(0);
    expect(this.clock.pending, 'timers still pending after close()').toBe(0);
    await memcached.until(() => memcached.connections === 0, 'memcached sees no connection after close()');
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

  async #holdStraggler(): Promise<void> {
    if (this.#straggler && !this.#straggler.over) return;
    const generation = this.cache.connectionActor().getSnapshot().context.generation;
    const { result } = await this.server.holdCall('straggler');
    this.#straggler = { promise: result, generation, startedAt: this.clock.now(), over: false };
  }

  // A real adapter fails every call on a connection when it fails (the straggler shared the socket
  // the failing call broke) or when the client drops it: the straggler is over with the drop, and no
  // stale result can come later (the graph suite runs no path that asks for one over a real adapter).
  async #strandedByDrop(): Promise<void> {
    const straggler = this.#straggler!;
    expectConnectionFailure(await settledNow(straggler.promise), 'a call in flight when the connection was dropped');
    straggler.over = true;
  }

  async #settleStraggler(succeeds: boolean): Promise<void> {
    const straggler = this.#straggler!;
    if (succeeds) this.memcached.answer('get');
    else this.memcached.refuse('get');
    const result = await straggler.promise;
    straggler.over = true;
    if (succeeds) expect(result).toEqual({ ok: true, item: undefined });
    else expectConnectionFailure(result, 'a stale call refused');
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
              server: SERVER,
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
}

function expectConnectionFailure(result: unknown, what: string): void {
  expect(result, what).toMatchObject({ ok: false, reason: 'connection' });
  expect((result as { error?: unknown }).error, what).toBeInstanceOf(ConnectionError);
}
