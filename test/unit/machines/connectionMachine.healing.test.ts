import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { context, startConnectionMachine as start, value } from '../../support/startConnectionMachine';

describe('connectionMachine: healing', () => {
  it('waits a delay in [d, 2d), probes once, and adopts the probed connection', async () => {
    const { actor, clock, probe, log, fail } = start({ allowedFailuresBeforeHealing: 1 });
    fail();
    expect(log).toEqual(['drop']);
    const delay = context(actor).nextDelayMs;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThan(2000);
    clock.increment(delay - 1);
    expect(probe.started).toBe(0);
    clock.increment(1);
    expect(value(actor)).toEqual({ reconnecting: 'probing' });
    expect(probe.started).toBe(1);
    probe.settle?.(true);
    await waitFor(actor, (s) => s.matches('connected'), { timeout: 1000 });
    expect(log).toEqual(['drop', 'adopt {"connection":"new"}']);
    expect(context(actor)).toMatchObject({ failures: 0, attempt: 0, nextDelayMs: 0 });
  });

  it('a failed probe waits again, with d doubling per attempt up to the cap', async () => {
    const { actor, clock, probe, fail } = start({ allowedFailuresBeforeHealing: 1 });
    fail();
    const bases = [1000, 2000, 4000, 4000, 4000];
    for (const [attempt, d] of bases.entries()) {
      expect(context(actor).attempt).toBe(attempt);
      const delay = context(actor).nextDelayMs;
      expect(delay).toBeGreaterThanOrEqual(d);
      expect(delay).toBeLessThan(2 * d);
      clock.increment(delay);
      probe.settle?.(false);
      await waitFor(actor, (s) => s.matches({ reconnecting: 'waiting' }) && s.context.attempt === attempt + 1, {
        timeout: 1000,
      });
    }
    expect(probe.maxRunning).toBe(1);
  });

  it('a probe that hangs past probeTimeout is stopped and counts as failed', () => {
    const { actor, clock, probe, fail } = start({ allowedFailuresBeforeHealing: 1, probeTimeoutMs: 300 });
    fail();
    clock.increment(context(actor).nextDelayMs);
    expect(probe.running).toBe(1);
    clock.increment(299);
    expect(value(actor)).toEqual({ reconnecting: 'probing' });
    clock.increment(1);
    expect(value(actor)).toEqual({ reconnecting: 'waiting' });
    expect(probe.aborted).toBe(1);
    expect(probe.running).toBe(0);
    expect(context(actor).attempt).toBe(1);
  });

  it('failures reported while reconnecting change nothing: one probe at a time, ever', () => {
    const { actor, clock, probe, fail } = start({ allowedFailuresBeforeHealing: 1 });
    fail();
    for (let i = 0; i < 5; i++) fail();
    clock.increment(context(actor).nextDelayMs);
    for (let i = 0; i < 5; i++) fail();
    expect(probe.started).toBe(1);
    expect(probe.maxRunning).toBe(1);
  });

  it('with maxRecoveryDelayMs === recoveryDelayMs the schedule is the constant [d, 2d)', async () => {
    const { actor, clock, probe, fail } = start({
      allowedFailuresBeforeHealing: 1,
      recoveryDelayMs: 10_000,
      maxRecoveryDelayMs: 10_000,
    });
    fail();
    for (let attempt = 0; attempt < 4; attempt++) {
      const delay = context(actor).nextDelayMs;
      expect(delay).toBeGreaterThanOrEqual(10_000);
      expect(delay).toBeLessThan(20_000);
      clock.increment(delay);
      probe.settle?.(false);
      await waitFor(actor, (s) => s.context.attempt === attempt + 1, { timeout: 1000 });
    }
  });
});
