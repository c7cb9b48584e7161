import { SimulatedClock } from 'xstate';
import type { Clock } from '../../src/core/clock';

/**
 * XState's `SimulatedClock`, as the client's `clock` option, counting the timers the client leaves
 * pending: after close() there must be none. Time moves only by `increment`.
 */
export class CountingClock implements Clock {
  readonly #clock = new SimulatedClock();
  readonly #timers = new Set<unknown>();

  /** Timers set and neither fired nor cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  now(): number {
    return this.#clock.now();
  }

  increment(ms: number): void {
    this.#clock.increment(ms);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle: unknown = this.#clock.setTimeout(() => {
      this.#timers.delete(handle);
      fn();
    }, ms);
    this.#timers.add(handle);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle);
    this.#clock.clearTimeout(handle as number);
  }
}
