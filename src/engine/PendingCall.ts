import type { NotOk } from '../api/results';
import { TimeoutError } from '../core/errors';
import { Deadline, type DeadlineQueue } from './DeadlineQueue';

/** What a call in flight tells its client (closures made once per client). */
export interface CallOutcomes<S> {
  readonly deadlines: DeadlineQueue;
  readonly timeoutMs: number;
  succeeded(server: S, generation: number): void;
  failed(server: S, generation: number, err: unknown): NotOk;
}

/**
 * One call in flight: its deadline in the queue and the settling of the caller's promise, in one
 * object instead of a closure per outcome. Whichever comes first of the port's answer and the
 * deadline settles it; the other is ignored. The generation is the server's connection's when the
 * call started, so a late failure from a dropped connection cannot move the state of the next one.
 */
export class PendingCall<S, T, R> extends Deadline {
  resolve: (answer: R) => void = noop;
  reject: (err: unknown) => void = noop;
  #settled = false;

  constructor(
    readonly outcomes: CallOutcomes<S>,
    readonly slot: S,
    readonly generation: number,
    readonly onOk: (value: T) => R,
    readonly onNotOk: (notOk: NotOk) => R,
  ) {
    super();
  }

  succeeded(value: T): void {
    if (this.#settled) return;
    this.#settled = true;
    this.outcomes.deadlines.delete(this);
    this.outcomes.succeeded(this.slot, this.generation);
    try {
      this.resolve(this.onOk(value));
    } catch (err) {
      this.reject(err);
    }
  }

  failed(err: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.outcomes.deadlines.delete(this);
    this.#notOk(this.outcomes.failed(this.slot, this.generation, err));
  }

  expire(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#notOk(this.outcomes.failed(this.slot, this.generation, new TimeoutError(this.outcomes.timeoutMs)));
  }

  #notOk(notOk: NotOk): void {
    try {
      this.resolve(this.onNotOk(notOk));
    } catch (err) {
      this.reject(err);
    }
  }
}

const noop = (): void => {};
