import fc from 'fast-check';
import { expect } from 'vitest';
import { waitFor } from 'xstate';
import { COMMANDS, type Command } from '../support/commandTable';
import { refusedError } from '../support/FakeMemcached';
import { PENDING } from '../support/settledNow';
import { type PropertyHarness, phaseOf } from './PropertyHarness';
import { expectAnswer, expectConsistent } from './propertyExpectations';
import type { ReferenceConnection } from './ReferenceConnection';

// What the random runs went through, printed so a reader can see the property is not vacuous.
export const seen = { drops: 0, heals: 0, failedProbes: 0, lateAnswers: 0, heldTimeouts: 0 };

/** One user-level action: done to both sides, then everything visible must agree. */
abstract class Action implements fc.AsyncCommand<ReferenceConnection, PropertyHarness> {
  check(_ref: Readonly<ReferenceConnection>): boolean {
    return true;
  }
  async run(ref: ReferenceConnection, real: PropertyHarness): Promise<void> {
    real.actions++;
    await this.act(ref, real);
    await expectConsistent(ref, real);
  }
  abstract act(ref: ReferenceConnection, real: PropertyHarness): Promise<void>;
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
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
  async act(ref: ReferenceConnection, real: PropertyHarness) {
    await real.cache.close();
    ref.close();
    expect(real.fake.openPorts, 'open connections after close()').toBe(0);
  }
  toString() {
    return 'close';
  }
}

async function elapse(ref: ReferenceConnection, real: PropertyHarness, end: number): Promise<void> {
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

// Weighted so that runs go through outages and heals often: failures are common (the limit can be
// 12), probe answers are only taken while probing, and close ends the interesting part of a run.
export const commandArb = fc.oneof(
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
