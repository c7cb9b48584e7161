import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import type { Client, GetResult, StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import { COMMANDS, type Command } from '../support/commandTable';
import { FakeMemcached, refusedError } from '../support/FakeMemcached';
import { PENDING, settledNow } from '../support/settledNow';
import type { ReferenceOptions } from './ReferenceConnection';
import { ReferenceConnection } from './ReferenceConnection';

/**
 * Random sequences of user-level actions against the real facade (over the fake port and a
 * simulated clock) and against ReferenceConnection, which must agree after every step: state,
 * counters, what subscribe reported, whether each call reached memcached and how it answered, and
 * every reconnect wait within [d, 2d).
 */

/** What a call answers when it reaches memcached: ok, or not-ok for a reason. */
interface Expected {
  readonly ok: boolean;
  readonly reason?: string;
}

interface Options extends ReferenceOptions {
  readonly connectTimeoutMs: number;
}

const optionsArb: fc.Arbitrary<Options> = fc
  .record({
    limit: fc.integer({ min: 1, max: 12 }),
    recoveryDelayMs: fc.integer({ min: 1, max: 1_000 }),
    maxFactor: fc.integer({ min: 1, max: 8 }),
    timeoutMs: fc.integer({ min: 1, max: 3_000 }),
    connectTimeoutMs: fc.integer({ min: 1, max: 500 }),
    keepCallsOnClose: fc.boolean(),
  })
  .map(({ maxFactor, ...o }) => ({
    ...o,
    maxRecoveryDelayMs: o.recoveryDelayMs * maxFactor,
    probeTimeoutMs: o.connectTimeoutMs + o.timeoutMs,
  }));

// What the client's random source returns, in turn: a value in [0, 1), or a broken one (which must
// still give a wait in [d, 2d)). Multiples of 1/1024 keep every simulated time exact: SimulatedClock
// fires a timer when `now - start >= delay`, which rounding can miss for arbitrary doubles.
const jittersArb = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 1023 }).map((k) => k / 1024) },
    { weight: 1, arbitrary: fc.constantFrom(1, -0.5, 7, Number.NaN) },
  ),
  { minLength: 1, maxLength: 5 },
);

class Harness {
  readonly fake = new FakeMemcached();
  readonly clock = new SimulatedClock();
  readonly cache: Client;
  readonly reports: StateChange[] = [];
  /** Actions run so far. */
  actions = 0;
  #held: Promise<GetResult> | undefined;
  #draws = 0;
  lastJitter = Number.NaN;

  constructor(options: Options, jitters: readonly number[]) {
    this.fake.keepCallsOnClose = options.keepCallsOnClose;
    this.cache = createClientWithPort(
      {
        servers: 'fake:11211',
        allowedFailuresBeforeHealing: options.limit,
        recoveryDelayMs: options.recoveryDelayMs,
        maxRecoveryDelayMs: options.maxRecoveryDelayMs,
        timeoutMs: options.timeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
        clock: this.clock,
      },
      this.fake.factory,
      {
        random: () => {
          this.lastJitter = jitters[this.#draws++ % jitters.length]!;
          return this.lastJitter;
        },
      },
    );
    this.cache.subscribe((change) => this.reports.push(change));
  }

  /** One call of `command` with the fake in `mode`: its answer, and whether it reached memcached. */
  async call(mode: FakeMemcached['mode'], command: Command): Promise<{ result: unknown; reached: boolean }> {
    this.fake.mode = mode;
    const before = this.fake.calls.length;
    const result = await command.call(this.cache);
    return { result, reached: this.fake.calls.length > before };
  }

  hold(): { reached: boolean; settled: Promise<GetResult | typeof PENDING> } {
    // Earlier held gets are over for the client (timed out, dropped or closed): memcached never
    // answers them, so the next settleNext reaches this one.
    const others = this.fake.pending.filter((call) => call.op !== 'get');
    this.fake.pending.splice(0, this.fake.pending.length, ...others);
    this.fake.mode = 'manual';
    const before = this.fake.calls.length;
    const held = this.cache.get('held');
    this.#held = held;
    return { reached: this.fake.calls.length > before, settled: settledNow(held) };
  }

  /** The held call's answer if it has one by now (all promise callbacks run), else PENDING. */
  held(): Promise<GetResult | typeof PENDING> {
    return settledNow(this.#held!);
  }
}

function phaseOf(cache: Client): string {
  const snapshot = cache.connectionActor().getSnapshot();
  if (snapshot.status !== 'active') return 'closed';
  const value = snapshot.value;
  return typeof value === 'string' ? value : value.reconnecting;
}

/** The reference and the facade agree on everything a user (or an inspector) can see. */
function expectAgreement(ref: ReferenceConnection, real: Harness): void {
  const { context } = real.cache.connectionActor().getSnapshot();
  expect({
    phase: phaseOf(real.cache),
    state: real.cache.state,
    available: real.cache.connectionAvailable(),
    failures: context.failures,
    failedProbes: context.attempt,
    connection: context.generation,
    now: real.clock.now(),
  }).toEqual({
    phase: ref.phase,
    state: ref.state,
    available: ref.up,
    failures: ref.failures,
    failedProbes: ref.failedProbes,
    connection: ref.connection,
    now: ref.now,
  });
  expect(real.reports.map(({ at: _at, server: _server, ...change }) => change)).toEqual(ref.changes);
}

/** After the reference starts a wait: the client's wait is in [d, 2d) (and exactly floor(d(1 + r)) for a sane r). */
function expectWait(ref: ReferenceConnection, real: Harness): void {
  if (ref.phase !== 'waiting' || ref.timerAt !== undefined) return;
  const wait = real.cache.connectionActor().getSnapshot().context.nextDelayMs;
  const d = ref.baseDelay();
  expect(wait).toBeGreaterThanOrEqual(d);
  expect(wait).toBeLessThan(2 * d);
  const r = real.lastJitter;
  if (r >= 0 && r < 1) expect(wait).toBe(Math.max(d, Math.floor(d + d * r)));
  ref.waitFor(wait);
}

function expectAnswer(ref: ReferenceConnection, result: unknown, reached: boolean, whenUp: Expected): void {
  // set and delete answer a boolean: whether the call was ok, without a reason.
  const boolean = typeof result === 'boolean';
  const answer = boolean ? { ok: result } : result;
  if (ref.up) {
    expect(reached, 'the call reached memcached').toBe(true);
    expect(answer).toMatchObject(boolean ? { ok: whenUp.ok } : whenUp);
  } else {
    expect(reached, 'the call failed fast, without I/O').toBe(false);
    const reason = ref.phase === 'closed' ? 'closed' : 'reconnecting';
    expect(answer).toEqual(boolean ? { ok: false } : { ok: false, reason });
  }
}

// What the random runs went through, printed so a reader can see the property is not vacuous.
const seen = { drops: 0, heals: 0, failedProbes: 0, lateAnswers: 0, heldTimeouts: 0 };

/** One user-level action: done to both sides, then everything visible must agree. */
abstract class Action implements fc.AsyncCommand<ReferenceConnection, Harness> {
  check(_ref: Readonly<ReferenceConnection>): boolean {
    return true;
  }
  async run(ref: ReferenceConnection, real: Harness): Promise<void> {
    real.actions++;
    await this.act(ref, real);
    await expectConsistent(ref, real);
  }
  abstract act(ref: ReferenceConnection, real: Harness): Promise<void>;
  abstract toString(): string;
}

const CALLS = {
  refused: { mode: 'refusing', whenUp: { ok: false, reason: 'connection' } },
  ok: { mode: 'up', whenUp: { ok: true } },
  serverError: { mode: 'serverError', whenUp: { ok: false, reason: 'server' } },
} as const;

// Every data command: any of them may be the call that counts, succeeds or is refused.
const DATA_COMMANDS = COMMANDS.filter((command) => command.kind === 'result' || command.kind === 'boolean');

/** A call of some command that memcached refuses at the socket, answers, or answers with an error status. */
class Call extends Action {
  readonly kind: keyof typeof CALLS;
  readonly command: Command;
  constructor(kind: keyof typeof CALLS, command: Command) {
    super();
    this.kind = kind;
    this.command = command;
  }
  async act(ref: ReferenceConnection, real: Harness) {
    const { mode, whenUp } = CALLS[this.kind];
    const { result, reached } = await real.call(mode, this.command);
    expectAnswer(ref, result, reached, whenUp);
    if (this.kind === 'refused') ref.callFailed(ref.connection);
    if (this.kind === 'ok') ref.callSucceeded(ref.connection);
  }
  toString() {
    return `call(${this.kind}, ${this.command.name})`;
  }
}

/** A call that memcached does not answer (yet): it is settled later, or runs out its deadline. */
class HoldCall extends Action {
  override check(ref: Readonly<ReferenceConnection>) {
    return ref.held === undefined || ref.held.outcome !== undefined;
  }
  async act(ref: ReferenceConnection, real: Harness) {
    const { reached, settled } = real.hold();
    if (ref.up) {
      expect(reached).toBe(true);
      expect(await settled).toBe(PENDING);
      ref.hold();
    } else {
      expect(reached).toBe(false);
      expect(await settled).toEqual({ ok: false, reason: ref.phase === 'closed' ? 'closed' : 'reconnecting' });
      ref.held = undefined;
    }
  }
  toString() {
    return 'holdCall';
  }
}

class HeldCallAnswers extends Action {
  readonly outcome: 'ok' | 'connection';
  constructor(outcome: 'ok' | 'connection') {
    super();
    this.outcome = outcome;
  }
  override check(ref: Readonly<ReferenceConnection>) {
    return ref.held !== undefined && ref.held.outcome === undefined;
  }
  async act(ref: ReferenceConnection, real: Harness) {
    real.fake.settleNext(this.outcome === 'ok' ? { value: undefined } : { error: refusedError() }, { op: 'get' });
    ref.settleHeld(this.outcome);
  }
  toString() {
    return `heldCallAnswers(${this.outcome})`;
  }
}

/** Time passes: the facade is moved to each moment the reference says something happens. */
class Elapse extends Action {
  readonly ms: number;
  constructor(ms: number) {
    super();
    this.ms = ms;
  }
  async act(ref: ReferenceConnection, real: Harness) {
    await elapse(ref, real, ref.now + this.ms);
  }
  toString() {
    return `elapse(${this.ms}ms)`;
  }
}

/** Time passes to just before, exactly at, or just after the next thing due. */
class ElapseToNext extends Action {
  readonly offsetMs: -1 | 0 | 1;
  constructor(offsetMs: -1 | 0 | 1) {
    super();
    this.offsetMs = offsetMs;
  }
  override check(ref: Readonly<ReferenceConnection>) {
    return ref.due() !== undefined;
  }
  async act(ref: ReferenceConnection, real: Harness) {
    await elapse(ref, real, Math.max(ref.now, ref.due()! + this.offsetMs));
  }
  toString() {
    return `elapseToNextTimer(${this.offsetMs >= 0 ? '+' : ''}${this.offsetMs}ms)`;
  }
}

class ProbeAnswers extends Action {
  readonly ok: boolean;
  constructor(ok: boolean) {
    super();
    this.ok = ok;
  }
  override check(ref: Readonly<ReferenceConnection>) {
    return ref.phase === 'probing';
  }
  async act(ref: ReferenceConnection, real: Harness) {
    const probe = real.fake.ports.at(-1);
    real.fake.settleNext(this.ok ? { value: undefined } : { error: refusedError() }, { op: 'ping', port: probe });
    if (this.ok) ref.probeSucceeded();
    else {
      ref.probeFailed();
      seen.failedProbes++;
    }
    // The probe's answer reaches the machine a few promise hops later.
    const agrees = (snapshot: { context: { attempt: number } }) =>
      snapshot.context.attempt === ref.failedProbes && phaseOf(real.cache) === ref.phase;
    await waitFor(real.cache.connectionActor(), agrees, { timeout: 2_000 });
    if (!this.ok) expect(probe?.closed, 'a failed probe closes its connection').toBe(true);
  }
  toString() {
    return this.ok ? 'probeSucceeds' : 'probeFails';
  }
}

class Close extends Action {
  async act(ref: ReferenceConnection, real: Harness) {
    await real.cache.close();
    ref.close();
    expect(real.fake.openPorts, 'open connections after close()').toBe(0);
  }
  toString() {
    return 'close';
  }
}

async function elapse(ref: ReferenceConnection, real: Harness, end: number): Promise<void> {
  for (let due = ref.due(); due !== undefined && due <= end; due = ref.due()) {
    // A probe starting now waits for ProbeAnswers to decide its fate.
    real.fake.mode = 'manual';
    real.clock.increment(due - real.clock.now());
    const probes = ref.failedProbes;
    const held = ref.held?.outcome;
    ref.advanceTo(due);
    if (ref.failedProbes > probes) seen.failedProbes++;
    if (held === undefined && ref.held?.outcome === 'timeout') seen.heldTimeouts++;
    await expectConsistent(ref, real);
  }
  real.clock.increment(end - real.clock.now());
  ref.advanceTo(end);
}

async function expectConsistent(ref: ReferenceConnection, real: Harness): Promise<void> {
  await expectHeldOutcome(ref, real);
  expectAgreement(ref, real);
  expectWait(ref, real);
}

// The held call has answered exactly when the reference says, and as it says.
async function expectHeldOutcome(ref: ReferenceConnection, real: Harness): Promise<void> {
  const held = ref.held;
  if (!held) return;
  const result = await real.held();
  if (held.outcome === undefined) expect(result, 'the held call is still in flight').toBe(PENDING);
  else if (held.outcome === 'ok') expect(result).toMatchObject({ ok: true });
  else expect(result).toMatchObject({ ok: false, reason: held.outcome });
}

// Weighted so that runs go through outages and heals often: failures are common (the limit can be
// 12), probe answers are only taken while probing, and close ends the interesting part of a run.
const commandArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...DATA_COMMANDS).map((c) => new Call('refused', c)) },
  { weight: 2, arbitrary: fc.constantFrom(...DATA_COMMANDS).map((c) => new Call('ok', c)) },
  { weight: 1, arbitrary: fc.constantFrom(...DATA_COMMANDS).map((c) => new Call('serverError', c)) },
  { weight: 2, arbitrary: fc.constant(new HoldCall()) },
  { weight: 3, arbitrary: fc.constantFrom(new HeldCallAnswers('ok'), new HeldCallAnswers('connection')) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 4_000 }).map((ms) => new Elapse(ms)) },
  { weight: 4, arbitrary: fc.constantFrom(new ElapseToNext(-1), new ElapseToNext(0), new ElapseToNext(1)) },
  { weight: 4, arbitrary: fc.constantFrom(new ProbeAnswers(true), new ProbeAnswers(false)) },
  { weight: 1, arbitrary: fc.constant(new Close()) },
);

test('the facade agrees with a plain reference model on random action sequences', async () => {
  let runs = 0;
  let actions = 0;
  await fc.assert(
    fc.asyncProperty(
      optionsArb,
      jittersArb,
      fc.commands([commandArb], { maxCommands: 60, size: 'max' }),
      async (options, jitters, commands) => {
        const ref = new ReferenceConnection(options);
        const real = new Harness(options, jitters);
        try {
          await fc.asyncModelRun(() => ({ model: ref, real }), commands);
          runs++;
          actions += real.actions;
          seen.lateAnswers += ref.lateAnswers;
          seen.drops += ref.changes.filter((c) => c.state === 'reconnecting').length;
          seen.heals += ref.changes.filter((c) => c.previous === 'reconnecting' && c.state === 'connected').length;
        } finally {
          await real.cache.close();
        }
      },
    ),
    { numRuns: 300 },
  );
  console.log(
    `property: ${runs} random runs, ${actions} actions, reference and facade agreed after each ` +
      `(${seen.drops} drops, ${seen.heals} heals, ${seen.failedProbes} failed probes, ` +
      `${seen.lateAnswers} answers from dropped connections, ${seen.heldTimeouts} held calls timed out)`,
  );
  expect(Math.min(seen.drops, seen.heals, seen.failedProbes, seen.lateAnswers, seen.heldTimeouts)).toBeGreaterThan(0);
});
