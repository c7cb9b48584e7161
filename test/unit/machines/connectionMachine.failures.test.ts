import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { context, startConnectionMachine as start, value } from '../../support/startConnectionMachine';

describe('connectionMachine: counting failures', () => {
  it.each([1, 2, 10])('enters reconnecting on exactly the %d-th consecutive failure', (limit) => {
    const { actor, fail } = start({ allowedFailuresBeforeHealing: limit });
    for (let i = 1; i < limit; i++) {
      fail();
      expect(value(actor)).toBe('degraded');
      expect(context(actor).failures).toBe(i);
    }
    fail();
    expect(value(actor)).toEqual({ reconnecting: 'waiting' });
    expect(context(actor).failures).toBe(limit);
  });

  it('a CALL.FAILED with a count counts that many: below the limit it degrades, at it it heals', () => {
    const { actor } = start({ allowedFailuresBeforeHealing: 10 });
    const generation = context(actor).generation;
    actor.send({ type: 'CALL.FAILED', generation, count: 4 });
    expect(value(actor)).toBe('degraded');
    expect(context(actor).failures).toBe(4);
    actor.send({ type: 'CALL.FAILED', generation, count: 5 });
    expect(value(actor)).toBe('degraded');
    expect(context(actor).failures).toBe(9);
    // Past the limit at once: reported with how many there were.
    const dropped: number[] = [];
    actor.on('dropped', (event) => dropped.push(event.failures));
    actor.send({ type: 'CALL.FAILED', generation, count: 2_000 });
    expect(value(actor)).toEqual({ reconnecting: 'waiting' });
    expect(dropped).toEqual([2_009]);
  });

  it('a count of an older generation changes nothing', () => {
    const { actor } = start({ allowedFailuresBeforeHealing: 3 });
    actor.send({ type: 'CALL.FAILED', generation: context(actor).generation - 1, count: 100 });
    expect(value(actor)).toBe('connected');
    expect(context(actor).failures).toBe(0);
  });

  it('a success in degraded returns to connected and resets the count (failures must be consecutive)', () => {
    const { actor, fail, succeed } = start({ allowedFailuresBeforeHealing: 3 });
    fail();
    fail();
    succeed();
    expect(value(actor)).toBe('connected');
    expect(context(actor).failures).toBe(0);
    fail();
    fail();
    expect(value(actor)).toBe('degraded');
  });

  it('ignores results of an older generation', () => {
    const { actor, fail, succeed } = start({ allowedFailuresBeforeHealing: 1 });
    const old = context(actor).generation;
    fail(old);
    expect(value(actor)).toEqual({ reconnecting: 'waiting' });
    expect(context(actor).generation).toBe(old + 1);
    fail(old);
    succeed(old);
    expect(value(actor)).toEqual({ reconnecting: 'waiting' });
  });

  it('a stale failure cannot degrade a fresh connection, and a stale success cannot reset a fresh count', async () => {
    const { actor, clock, probe, fail, succeed } = start({ allowedFailuresBeforeHealing: 2 });
    const old = context(actor).generation;
    fail();
    fail();
    clock.increment(context(actor).nextDelayMs);
    probe.settle?.(true);
    await waitFor(actor, (s) => s.matches('connected'), { timeout: 1000 });
    fail(old);
    expect(value(actor)).toBe('connected');
    fail();
    succeed(old);
    expect(value(actor)).toBe('degraded');
  });
});
