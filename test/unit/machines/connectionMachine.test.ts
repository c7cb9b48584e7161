import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { type ConnectionInput, connectionMachine, type ProbeInput } from '../../../machines/connectionMachine';

/** A probe the test settles by hand, counting how many run at once. */
function manualProbe() {
  const control = {
    started: 0,
    running: 0,
    maxRunning: 0,
    aborted: 0,
    settle: undefined as undefined | ((ok: boolean) => void),
  };
  const logic = fromPromise<unknown, ProbeInput>(
    ({ signal }) =>
      new Promise((resolve, reject) => {
        control.started++;
        control.running++;
        control.maxRunning = Math.max(control.maxRunning, control.running);
        const done = () => {
          control.running--;
          control.settle = undefined;
        };
        signal.addEventListener('abort', () => {
          control.aborted++;
          done();
        });
        control.settle = (ok) => {
          done();
          if (ok) resolve({ connection: 'new' });
          else reject(new Error('probe failed'));
        };
      }),
  );
  return { control, logic };
}

function start(input: Partial<ConnectionInput> = {}) {
  const clock = new SimulatedClock();
  const probe = manualProbe();
  const log: string[] = [];
  const machine = connectionMachine.provide({
    actors: { probe: probe.logic },
    actions: {
      dropConnection: () => void log.push('drop'),
      adoptConnection: (_, params) => void log.push(`adopt ${JSON.stringify(params.connection)}`),
      releaseConnection: () => void log.push('release'),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: {
      allowedFailuresBeforeHealing: 3,
      recoveryDelayMs: 1000,
      maxRecoveryDelayMs: 4000,
      probeTimeoutMs: 300,
      ...input,
    },
  });
  actor.start();
  const fail = (generation = actor.getSnapshot().context.generation) => actor.send({ type: 'CALL.FAILED', generation });
  const succeed = (generation = actor.getSnapshot().context.generation) =>
    actor.send({ type: 'CALL.SUCCEEDED', generation });
  return { actor, clock, probe: probe.control, log, fail, succeed };
}

const value = (actor: AnyActorRef) => actor.getSnapshot().value;
const context = (actor: ReturnType<typeof start>['actor']) => actor.getSnapshot().context;

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

function toValue(path: string) {
  const [parent, child] = path.split('.');
  return (child ? { [parent as string]: child } : parent) as never;
}

describe('connectionMachine: close', () => {
  const reach = {
    connected: async (_: ReturnType<typeof start>) => {},
    degraded: async (t: ReturnType<typeof start>) => t.fail(),
    'reconnecting.waiting': async (t: ReturnType<typeof start>) => {
      for (let i = 0; i < 3; i++) t.fail();
    },
    'reconnecting.probing': async (t: ReturnType<typeof start>) => {
      for (let i = 0; i < 3; i++) t.fail();
      t.clock.increment(t.actor.getSnapshot().context.nextDelayMs);
    },
  };

  it.each(Object.keys(reach) as Array<keyof typeof reach>)(
    'from %s: final, releases the connection, cancels timers and the probe',
    async (state) => {
      const t = start();
      await reach[state](t);
      expect(t.actor.getSnapshot().matches(toValue(state))).toBe(true);
      t.actor.send({ type: 'CLOSE' });
      expect(value(t.actor)).toBe('closed');
      expect(t.actor.getSnapshot().status).toBe('done');
      expect(t.log.at(-1)).toBe('release');
      expect(t.probe.running).toBe(0);
      // No pending delayed event or probe timeout can fire later.
      const started = t.probe.started;
      t.clock.increment(1_000_000);
      expect(t.probe.started).toBe(started);
      expect(value(t.actor)).toBe('closed');
    },
  );
});
