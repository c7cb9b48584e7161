import { SimulatedClock } from 'xstate';
import { CallRunner } from '../../src/engine/CallRunner';
import type { CallTarget } from '../../src/engine/CallTarget';
import type { MemcachedPort } from '../../src/port/MemcachedPort';

// The engine's side of per-call options and of a busy caller, over a port whose answers the test
// gives by hand and a simulated clock.
/** A port whose answers the test gives by hand. */
export class HeldPort {
  received = 0;
  abandoned = 0;
  readonly held: { resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  get(): Promise<unknown> {
    return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
  }
  abandon(): void {
    this.abandoned++;
  }
}

/** A CallRunner (timeoutMs 100) on a simulated clock, with one server on a HeldPort. */
export function setup() {
  const clock = new SimulatedClock();
  const runner = new CallRunner(clock, 100, 'test');
  const port = new HeldPort();
  const failures: number[] = [];
  const target: CallTarget = {
    id: 'h:1',
    port: port as unknown as MemcachedPort,
    generation: 1,
    active: true,
    succeeded() {},
    failed: (generation) => failures.push(generation),
  };
  const ops: string[] = [];
  const call = (opts?: object) =>
    runner.run(
      target,
      (p) => {
        ops.push('get');
        return (p as unknown as HeldPort).get();
      },
      undefined,
      (value): unknown => ({ ok: true, value }),
      (notOk): unknown => notOk,
      { name: 'get' },
      1,
      opts,
    );
  return { clock, runner, port, target, failures, ops, call };
}

export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
