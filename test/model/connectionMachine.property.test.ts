import fc from 'fast-check';
import { expect, test } from 'vitest';
import { type Options, PropertyHarness } from './PropertyHarness';
import { commandArb, seen } from './propertyActions';
import { ReferenceConnection } from './ReferenceConnection';

/**
 * Random sequences of user-level actions against the real facade (over the fake port and a
 * simulated clock) and against ReferenceConnection, which must agree after every step: state,
 * counters, what subscribe reported, whether each call reached memcached and how it answered, and
 * every reconnect wait within [d, 2d).
 */

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
        const real = new PropertyHarness(options, jitters);
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
