import { expect } from 'vitest';
import { PENDING } from '../support/settledNow';
import { type PropertyHarness, phaseOf } from './PropertyHarness';
import type { ReferenceConnection } from './ReferenceConnection';

/** What a call answers when it reaches memcached: ok, or not-ok for a reason. */
interface Expected {
  readonly ok: boolean;
  readonly reason?: string;
}

/** The reference and the facade agree on everything a user (or an inspector) can see. */
export function expectAgreement(ref: ReferenceConnection, real: PropertyHarness): void {
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
export function expectWait(ref: ReferenceConnection, real: PropertyHarness): void {
  if (ref.phase !== 'waiting' || ref.timerAt !== undefined) return;
  const wait = real.cache.connectionActor().getSnapshot().context.nextDelayMs;
  const d = ref.baseDelay();
  expect(wait).toBeGreaterThanOrEqual(d);
  expect(wait).toBeLessThan(2 * d);
  const r = real.lastJitter;
  if (r >= 0 && r < 1) expect(wait).toBe(Math.max(d, Math.floor(d + d * r)));
  ref.waitFor(wait);
}

export function expectAnswer(ref: ReferenceConnection, result: unknown, reached: boolean, whenUp: Expected): void {
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

export async function expectConsistent(ref: ReferenceConnection, real: PropertyHarness): Promise<void> {
  await expectHeldOutcome(ref, real);
  expectAgreement(ref, real);
  expectWait(ref, real);
}

// The held call has answered exactly when the reference says, and as it says.
export async function expectHeldOutcome(ref: ReferenceConnection, real: PropertyHarness): Promise<void> {
  const held = ref.held;
  if (!held) return;
  const result = await real.held();
  if (held.outcome === undefined) expect(result, 'the held call is still in flight').toBe(PENDING);
  else if (held.outcome === 'ok') expect(result).toMatchObject({ ok: true });
  else expect(result).toMatchObject({ ok: false, reason: held.outcome });
}
