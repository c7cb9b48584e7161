import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { TimeoutError } from '../../../src/core/errors';
import type { CallDeadline } from '../../../src/engine/CallDeadline';
import { CallRunner } from '../../../src/engine/CallRunner';
import type { CallTarget } from '../../../src/engine/CallTarget';
import type { MemcachedPort } from '../../../src/port/MemcachedPort';

// An answer mapped asynchronously (an async codec decoding a value) is held to the call's deadline:
// the port answers in time, the mapping does not, and the call still settles by its deadline.
function setup() {
  const clock = new SimulatedClock();
  const runner = new CallRunner(clock, 100, 'test');
  const failures: number[] = [];
  const target: CallTarget = {
    id: 'h:1',
    port: { received: 0 } as unknown as MemcachedPort,
    generation: 1,
    active: true,
    succeeded() {},
    failed: (generation) => failures.push(generation),
  };
  const call = (onOk: (value: unknown, call: CallDeadline) => unknown, opts?: object) =>
    runner.run(
      target,
      () => Promise.resolve('answer'),
      undefined,
      onOk,
      (notOk) => notOk,
      { name: 'get' },
      1,
      opts,
    );
  return { clock, failures, call };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A mapping that only ends when the call's signal aborts, answering what it was aborted with. */
function untilAborted(value: unknown, call: CallDeadline): Promise<unknown> {
  const { signal } = call;
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ late: value, why: signal.reason })));
}

describe('CallRunner: a mapping of the answer that outlasts the deadline', () => {
  it('aborts the call’s signal at its deadline (the client’s or the call’s own), and nothing counts', async () => {
    const { clock, failures, call } = setup();
    const settled: string[] = [];
    const track = (name: string) => (answer: unknown) => {
      settled.push(`${name}@${clock.now()}`);
      return answer;
    };
    const byDefault = call(untilAborted).then(track('default'));
    const own = call(untilAborted, { timeoutMs: 40 }).then(track('own'));
    await nextTurn();
    expect(settled).toEqual([]);
    for (let t = 0; t < 120; t++) {
      clock.increment(1);
      await nextTurn();
    }
    expect(settled).toEqual(['own@40', 'default@100']);
    expect(await byDefault).toMatchObject({ late: 'answer', why: expect.any(TimeoutError) });
    expect(await own).toMatchObject({ late: 'answer' });
    expect(failures).toEqual([]);
  });

  it('a mapping done in time settles the call with its answer; the deadline then changes nothing', async () => {
    const { clock, failures, call } = setup();
    let signal: AbortSignal | undefined;
    const answer = call((value, deadline) => {
      signal = deadline.signal;
      return Promise.resolve({ mapped: value });
    });
    expect(await answer).toEqual({ mapped: 'answer' });
    clock.increment(200);
    await nextTurn();
    expect(signal?.aborted).toBe(false);
    expect(failures).toEqual([]);
  });
});
