import { promiseFor, type Settles } from '../core/promiseFor';

/**
 * Where a port delivers one call's outcome, instead of through a promise: the engine's call in
 * flight is one (PendingCall). A port's hot commands take one directly (`MemcachedPort.getInto`,
 * `setInto`): a promise between the port and the engine cost, per call, the promise, its two
 * resolving functions, two reactions and a microtask; about a third of what 100,000 calls in flight
 * kept alive.
 */
export interface Outcome<T> {
  succeeded(value: T): void;
  failed(err: unknown): void;
}

/** The outcome of a port method that returns a promise: it settles that promise (see `promiseFor`). */
export class PromiseOutcome<T> implements Outcome<T>, Settles<T> {
  resolve: (value: T) => void = noop;
  reject: (err: unknown) => void = noop;

  succeeded(value: T): void {
    this.resolve(value);
  }

  failed(err: unknown): void {
    this.reject(err);
  }
}

const noop = (): void => {};

/** The promise of what `start` delivers: a port's promise method over its `...Into` one. */
export function promised<T>(start: (outcome: Outcome<T>) => void): Promise<T> {
  const outcome = new PromiseOutcome<T>();
  const answer = promiseFor(outcome);
  start(outcome);
  return answer;
}
