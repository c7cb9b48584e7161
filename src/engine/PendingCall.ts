import type { NotOk } from '../api/results';
import { ABORTED } from '../api/results';
import type { TimeoutError } from '../core/errors';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { Outcome } from '../port/Outcome';
import type { CallDeadline } from './CallDeadline';
import { Deadline, LATE, type Lateness, ON_TIME } from './Deadline';
import type { DeadlineQueue } from './DeadlineQueue';

/** What a call in flight tells its client (closures made once per client). */
export interface CallOutcomes<S> {
  readonly deadlines: DeadlineQueue;
  succeeded(server: S, generation: number): void;
  /** `port`: the call's; a failure on a port its server has already replaced is not sent. */
  failed(server: S, generation: number, err: unknown, port: MemcachedPort): NotOk;
  /** `counts`: whether this timeout is the connection's fault (see PendingCall.expire). */
  timedOut(server: S, generation: number, error: TimeoutError, counts: boolean, port: MemcachedPort): NotOk;
  /** Every call on `port` has given up while bytes were still arriving on it. */
  abandoned(port: MemcachedPort): void;
}

/**
 * The calls on one port: how many are in flight, and in the order they were made, how many were
 * made, the latest one answered, and the first of the latest turn (CallRunner's) that made one.
 */
export interface PortTally {
  live: number;
  made: number;
  answered: number;
  turn: number;
  turnStart: number;
}

/**
 * One call in flight: its deadline in the queue and the settling of the caller's promise, in one
 * object instead of a closure per outcome. Whichever comes first of the port's answer, the
 * deadline and the caller's abort settles it; the rest are ignored. The generation is the server's
 * connection's when the call started, so a late failure from a dropped connection cannot move the
 * state of the next one. An answer that `onOk` maps asynchronously (a promise: an async codec) keeps
 * the deadline: when it passes first, the call's `signal` aborts and the mapping settles the call.
 */
export class PendingCall<S, A, T, R> extends Deadline implements Outcome<T>, CallDeadline {
  resolve: (answer: R) => void = noop;
  reject: (err: unknown) => void = noop;
  /** The port's `received` when the call was written, and when its deadline was first noticed late. */
  readonly #written: number;
  // Its place among the port's calls, and the place of the first call of its turn.
  readonly #place: number;
  readonly #turnStart: number;
  #seen: number;
  #signal: AbortSignal | undefined = undefined;
  #settled = false;
  // Made only when the mapping of an answer reads `signal`.
  #controller: AbortController | undefined = undefined;
  // The port answered and `onOk`'s promise is pending: the deadline aborts the signal.
  #mapping = false;

  constructor(
    readonly outcomes: CallOutcomes<S>,
    readonly server: S,
    readonly generation: number,
    readonly onOk: (value: T, call: CallDeadline) => R,
    readonly onNotOk: (notOk: NotOk, arg: A) => R,
    /** What the call's `op` was handed (a key or an item), given to `onNotOk` too. */
    readonly arg: A,
    readonly port: MemcachedPort,
    readonly tally: PortTally,
    /** The turn the call was made in: calls made in one synchronous stretch share it (CallRunner). */
    turn: number,
  ) {
    super();
    this.#written = port.received;
    this.#seen = this.#written;
    tally.live++;
    if (tally.turn !== turn) {
      tally.turn = turn;
      tally.turnStart = tally.made + 1;
    }
    this.#place = ++tally.made;
    this.#turnStart = tally.turnStart;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
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
    if (this.#place > this.tally.answered) this.tally.answered = this.#place;
    const deadlines = this.outcomes.deadlines;
    this.outcomes.succeeded(this.server, this.generation);
    let answer: R;
    try {
      answer = this.onOk(value, this);
    } catch (err) {
      deadlines.delete(this);
      this.reject(err);
      return;
    }
    if (answer instanceof Promise) {
      this.#mapping = true;
      const mapped = (): void => {
        this.#mapping = false;
        deadlines.delete(this);
      };
      answer.then(mapped, mapped);
    } else deadlines.delete(this);
    this.resolve(answer);
  }

  failed(err: unknown): void {
    if (!this.#settle()) return;
    this.outcomes.deadlines.delete(this);
    this.#notOk(this.outcomes.failed(this.server, this.generation, err, this.port));
  }

  override mark(): void {
    this.#seen = this.port.received;
  }

  override heardSinceMark(): boolean {
    return this.port.received !== this.#seen;
  }

  /**
   * A timeout counts toward healing unless the process, not the connection, made it:
   * noticed late (the event loop was held) and bytes reached the port in the time the sockets got
   * before expiring (answers were sitting unread); or expired half its length or more past its
   * deadline (the loop held for most of the call's time: a burst of calls the caller made itself)
   * while bytes kept arriving since it was written. A silent connection (a black hole, a frozen
   * server) receives nothing, so its timeouts always count, and so do timeouts noticed on time
   * (a slow link: the loop was free to read whatever came). None counts once its port has answered
   * a call made before it in its turn, and none after it: the server is working through what the
   * process sent at once (a burst), and this call waited behind its own turn's calls.
   */
  expire(lateness: Lateness, error: TimeoutError): void {
    if (this.#mapping) {
      this.#mapping = false;
      this.#controller?.abort(error);
      return;
    }
    if (!this.#settle()) return;
    const port = this.port;
    const received = port.received;
    const answered = this.tally.answered;
    const inItsBurst = answered >= this.#turnStart && answered < this.#place;
    const counts =
      !inItsBurst &&
      (lateness === ON_TIME || (received === this.#seen && (lateness === LATE || received === this.#written)));
    this.#notOk(this.outcomes.timedOut(this.server, this.generation, error, counts, port));
    // Nobody waits on this connection any more, yet bytes are still arriving: drop it.
    if (this.tally.live === 0 && received !== this.#written) this.outcomes.abandoned(port);
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
      this.resolve(this.onNotOk(notOk, this.arg));
    } catch (err) {
      this.reject(err);
    }
  }
}

const noop = (): void => {};
