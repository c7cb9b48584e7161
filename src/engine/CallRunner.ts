import type { CallOptions } from '../api/CallOptions';
import type { NotOk } from '../api/results';
import { ABORTED, CLOSED, RECONNECTING } from '../api/results';
import { type CommandKind, traceCall, tracingCommands } from '../core/channels';
import type { Clock } from '../core/clock';
import { ConnectionError, ServerError, TimeoutError } from '../core/errors';
import { promiseFor } from '../core/promiseFor';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { Outcome } from '../port/Outcome';
import type { CallDeadline } from './CallDeadline';
import type { CallTarget } from './CallTarget';
import { checkCallOptions, checkOptionsObject } from './callOptions';
import { classifyError } from './classifyError';
import { DeadlineQueue } from './DeadlineQueue';
import { type CallOutcomes, PendingCall, type PortTally } from './PendingCall';
import { WorkDeadline } from './WorkDeadline';

/**
 * Runs calls on servers: one deadline per call, and what each call learned reported to its
 * server's machine. While that server is reconnecting, or the client is closed, a call answers at
 * once without I/O. The call's generation goes with its result, so a late failure from a dropped
 * connection cannot move the state of the next one.
 */
export class CallRunner {
  readonly #deadlines: DeadlineQueue;
  readonly #outcomes: CallOutcomes<CallTarget>;
  // The calls in flight per port. Weakly: a closed port must not stay reachable from here (the
  // soak counts memjs ports alive after close() and a GC; a cached "last port" kept one).
  readonly #tallies = new WeakMap<MemcachedPort, PortTally>();
  // Set before the servers are closed: calls that the close itself settles answer `closed`, not `timeout`.
  #closed = false;
  // The timeouts of the current run of expiries that count, per server: sent as one event each when
  // the run is over: one event per expiry would cost a machine transition each, and the machine
  // counts a batch the same as one by one.
  readonly #timeouts = new Map<CallTarget, CountedTimeouts>();
  // The client's name, in what its calls publish.
  readonly #client: string;
  // Calls made in one synchronous stretch share a turn: it ends with the microtasks that follow it.
  #turn = 0;
  #turnOpen = false;
  readonly #endTurn = () => {
    this.#turnOpen = false;
  };

  constructor(clock: Clock, timeoutMs: number, client: string) {
    this.#client = client;
    this.#deadlines = new DeadlineQueue(clock, timeoutMs, () => this.#sendTimeouts());
    this.#outcomes = {
      deadlines: this.#deadlines,
      succeeded: (target, generation) => target.succeeded(generation),
      failed: (target, generation, err, port) => this.#failed(target, generation, err, port),
      timedOut: (target, generation, error, counts, port) => this.#timedOut(target, generation, error, counts, port),
      // memjs's socket timeout used to end such a connection; the engine's deadlines replace it.
      abandoned: (port) => port.abandon?.(),
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `op` on the target's current port. `onOk` maps the port's answer, `onNotOk` the not-ok
   * one (handed `arg` too), to what the caller's promise resolves with (either may throw to reject
   * it). A promise from `onOk` is held to the call's deadline: the `CallDeadline` handed to `onOk`
   * aborts its `signal` when the deadline passes first, and that promise must then settle. `kind` and `keyCount` (the keys `op` sends) are what the call publishes on the `reconnecting-memcached:command`
   * TracingChannel, when someone subscribes to it. `opts`: this call's own deadline (`timeoutMs`)
   * and `signal` (an abort answers `aborted`, before any I/O if it is aborted already); invalid
   * options reject with `InvalidOptionError` before any I/O.
   *
   * `op` is handed `arg` and the call's outcome: the hot commands pass a shared `op` and their key
   * or item, instead of making a closure per call, and `op` may deliver to the outcome itself (a
   * port's `getInto`) and return nothing instead of a promise. The others pass a closure and no `arg`.
   */
  run<A, T, R>(
    target: CallTarget,
    op: PortCall<A, T>,
    arg: A,
    // Each in its own parameter, not a rest tuple: that is an array made and taken apart per call.
    onOk: (value: T, call: CallDeadline) => R,
    onNotOk: (notOk: NotOk, arg: A) => R,
    kind: CommandKind<T>,
    keyCount: number,
    opts?: CallOptions,
  ): Promise<R> {
    if (tracingCommands()) {
      const run = (ok: (value: T, call: CallDeadline) => R, notOk: (notOk: NotOk) => R) =>
        this.#run(target, op, arg, ok, notOk, opts);
      return traceCall(kind, this.#client, target.id, keyCount, onOk, (notOk: NotOk) => onNotOk(notOk, arg), run);
    }
    return this.#run(target, op, arg, onOk, onNotOk, opts);
  }

  #run<A, T, R>(
    target: CallTarget,
    op: PortCall<A, T>,
    arg: A,
    onOk: (value: T, call: CallDeadline) => R,
    onNotOk: (notOk: NotOk, arg: A) => R,
    opts: CallOptions | undefined,
  ): Promise<R> {
    let timeoutMs: number | undefined;
    let signal: AbortSignal | undefined;
    if (opts !== undefined) {
      // Each option is read once, then checked: what is checked is what is used.
      try {
        checkOptionsObject(opts);
        timeoutMs = opts.timeoutMs;
        signal = opts.signal;
        checkCallOptions(timeoutMs, signal);
      } catch (err) {
        return Promise.reject(err);
      }
      if (signal?.aborted) return settle(() => onNotOk(ABORTED, arg));
    }
    const port = target.port;
    if (port === undefined) {
      return settle(() => onNotOk(!this.#closed && target.active ? RECONNECTING : CLOSED, arg));
    }
    if (!this.#turnOpen) {
      this.#turnOpen = true;
      this.#turn++;
      queueMicrotask(this.#endTurn);
    }
    const tally = this.#tallyOf(port);
    const call = new PendingCall(
      this.#outcomes,
      target,
      target.generation,
      onOk,
      onNotOk,
      arg,
      port,
      tally,
      this.#turn,
    );
    const answer = promiseFor(call);
    this.#deadlines.add(call, timeoutMs);
    if (signal !== undefined) call.watch(signal);
    let pending: Promise<T> | undefined;
    try {
      pending = op(port, arg, call);
    } catch (err) {
      call.failed(err);
      return answer;
    }
    pending?.then(
      (value) => call.succeeded(value),
      (err) => call.failed(err),
    );
    return answer;
  }

  /**
   * A deadline `timeoutMs` (the client's by default; checked already) from now, for work that
   * follows calls started now; `done` it when the work ends.
   */
  deadline(timeoutMs: number | undefined): WorkDeadline {
    const deadline = new WorkDeadline();
    this.#deadlines.add(deadline, timeoutMs);
    return deadline;
  }

  done(deadline: WorkDeadline): void {
    this.#deadlines.delete(deadline);
  }

  /** Marks the runner closed (before the servers close) ... */
  close(): void {
    this.#closed = true;
  }

  /** ... and settles whatever the servers' close left pending (after they closed). */
  expireAll(): void {
    this.#deadlines.expireAll();
  }

  #tallyOf(port: MemcachedPort): PortTally {
    let tally = this.#tallies.get(port);
    if (tally === undefined) {
      tally = { live: 0, made: 0, answered: 0, turn: 0, turnStart: 0 };
      this.#tallies.set(port, tally);
    }
    return tally;
  }

  #failed(target: CallTarget, generation: number, err: unknown, port: MemcachedPort): NotOk {
    if (this.#closed || !target.active) return CLOSED;
    if (classifyError(err) === 'server') {
      return { ok: false, reason: 'server', error: err instanceof ServerError ? err : new ServerError(err) };
    }
    this.#count(target, generation, port);
    if (err instanceof TimeoutError) return { ok: false, reason: 'timeout', error: err };
    return { ok: false, reason: 'connection', error: err instanceof ConnectionError ? err : new ConnectionError(err) };
  }

  #timedOut(target: CallTarget, generation: number, error: TimeoutError, counts: boolean, port: MemcachedPort): NotOk {
    if (this.#closed || !target.active) return CLOSED;
    if (counts) {
      const counted = this.#timeouts.get(target);
      if (counted !== undefined && counted.generation === generation && counted.port === port) counted.count++;
      // An older connection's timeouts would change nothing (see #count): the newest one's are kept.
      else if (counted === undefined || generation > counted.generation) {
        this.#timeouts.set(target, { generation, port, count: 1 });
      }
    }
    return { ok: false, reason: 'timeout', error };
  }

  #sendTimeouts(): void {
    if (this.#timeouts.size === 0) return;
    const runs = [...this.#timeouts];
    this.#timeouts.clear();
    for (const [target, { generation, port, count }] of runs) this.#count(target, generation, port, count);
  }

  // A failure on a connection its server has already replaced (dropped: the port is gone before
  // its close fails the calls on it), or of an older generation, changes nothing in the machine:
  // not sent. Dropping a connection fails every call on it at once; 100,000 events cost seconds.
  #count(target: CallTarget, generation: number, port: MemcachedPort, count = 1): void {
    if (target.port === port && generation === target.generation) target.failed(generation, count);
  }
}

function settle<R>(answer: () => R): Promise<R> {
  try {
    return Promise.resolve(answer());
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * What a call does on a port: returns the port's promise, or delivers to `outcome` itself (the
 * call in flight) and returns undefined.
 */
export type PortCall<A, T> = (port: MemcachedPort, arg: A, outcome: Outcome<T>) => Promise<T> | undefined;

/** Timeouts of one server's connection, counted in a run of expiries. */
interface CountedTimeouts {
  readonly generation: number;
  readonly port: MemcachedPort;
  count: number;
}
