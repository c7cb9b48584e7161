import type { NotOk } from '../api/results';
import { ABORTED } from '../api/results';
import type { TimeoutError } from '../core/errors';
import type { MemcachedPort } from '../port/MemcachedPort';
import { Deadline, type DeadlineQueue } from './DeadlineQueue';

/** What a call in flight tells its client (closures made once per client). */
export interface CallOutcomes<S> {
  readonly deadlines: DeadlineQueue;
  succeeded(server: S, generation: number): void;
  failed(server: S, generation: number, err: unknown): NotOk;
  /** `counts`: whether this timeout is the connection's fault (see PendingCall.expire). */
  timedOut(server: S, generation: number, error: TimeoutError, counts: boolean): NotOk;
  /** Every call on `port` has given up while bytes were still arriving on it. */
  abandoned(port: MemcachedPort): void;
}

/** The calls in flight on one port. */
export interface PortTally {
  live: number;
}

/**
 * One call in flight: its deadline in the queue and the settling of the caller's promise, in one
 * object instead of a closure per outcome. Whichever comes first of the port's answer, the
 * deadline and the caller's abort settles it; the rest are ignored. The generation is the server's
 * connection's when the call started, so a late failure from a dropped connection cannot move the
 * state of the next one.
 */
export class PendingCall<S, T, R> extends Deadline {
  resolve: (answer: R) => void = noop;
  reject: (err: unknown) => void = noop;
  /** The port's `received` when the call was written, and when its deadline was first noticed late. */
  readonly #written: number;
  #seen: number;
  #signal: AbortSignal | undefined = undefined;
  #settled = false;

  constructor(
    readonly outcomes: CallOutcomes<S>,
    readonly slot: S,
    readonly generation: number,
    readonly onOk: (value: T) => R,
    readonly onNotOk: (notOk: NotOk) => R,
    readonly port: MemcachedPort,
    readonly tally: PortTally,
  ) {
    super();
    this.#written = port.received;
    this.#seen = this.#written;
    tally.live++;
  }

  /** Settles the call as `aborted` when `signal` aborts (the caller checked it is not aborted yet). */
  watch(signal: AbortSignal): void {
    this.#signal = signal;
    signal.addEventListener('abort', this);
  }

  /** The abort listener (the call itself, so no closure per call). */
  handleEvent(): void {
    if (!this.#settle()) return;
    this.outcomes.deadlines.delete(this);
    this.#notOk(ABORTED);
  }

  succeeded(value: T): void {
    if (!this.#settle()) return;
    this.outcomes.deadlines.delete(this);
    this.outcomes.succeeded(this.slot, this.generation);
    try {
      this.resolve(this.onOk(value));
    } catch (err) {
      this.reject(err);
    }
  }

  failed(err: unknown): void {
    if (!this.#settle()) return;
    this.outcomes.deadlines.delete(this);
    this.#notOk(this.outcomes.failed(this.slot, this.generation, err));
  }

  override mark(): void {
    this.#seen = this.port.received;
  }

  /**
   * A timeout counts toward healing unless it was noticed late (the process held the event loop)
   * and bytes reached the port during the turn the sockets were given since (issue 11 #1): then
   * the answer may well have been sitting unread, and the slowness was the caller's own. A silent
   * connection (a black hole, a frozen server) receives nothing, so its timeouts always count.
   */
  expire(late: boolean, error: TimeoutError): void {
    if (!this.#settle()) return;
    const port = this.port;
    const counts = !late || port.received === this.#seen;
    this.#notOk(this.outcomes.timedOut(this.slot, this.generation, error, counts));
    // Nobody waits on this connection any more, yet bytes are still arriving (issue 11 #3).
    if (this.tally.live === 0 && port.received !== this.#written) this.outcomes.abandoned(port);
  }

  // True the first time: the call is settled from now on.
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.tally.live--;
    this.#signal?.removeEventListener('abort', this);
    return true;
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
