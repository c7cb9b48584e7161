import type { CallOptions } from '../api/CallOptions';
import type { NotOk } from '../api/results';
import { CLOSED, RECONNECTING } from '../api/results';
import type { Clock } from '../core/clock';
import { ConnectionError, ServerError, TimeoutError } from '../core/errors';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { CallTarget } from './CallTarget';
import { classifyError } from './classifyError';
import { DeadlineQueue } from './DeadlineQueue';
import { type CallOutcomes, PendingCall } from './PendingCall';

/**
 * Runs calls on servers: one deadline per call, and what each call learned reported to its
 * server's machine. While that server is reconnecting, or the client is closed, a call answers at
 * once without I/O. The call's generation goes with its result, so a late failure from a dropped
 * connection cannot move the state of the next one.
 */
export class CallRunner {
  readonly #deadlines: DeadlineQueue;
  readonly #outcomes: CallOutcomes<CallTarget>;
  // Set before the servers are closed: calls that the close itself settles answer `closed`, not `timeout`.
  #closed = false;

  constructor(clock: Clock, timeoutMs: number) {
    this.#deadlines = new DeadlineQueue(clock, timeoutMs);
    this.#outcomes = {
      deadlines: this.#deadlines,
      timeoutMs,
      succeeded: (target, generation) => target.succeeded(generation),
      failed: (target, generation, err) => this.#failed(target, generation, err),
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `op` on the target's current port. `onOk` maps the port's answer, `onNotOk` the not-ok
   * one, to what the caller's promise resolves with (either may throw to reject it). `opts`: the
   * call's own options, validated by the facade (a per-call deadline and abort: issue 12).
   */
  run<T, R>(
    target: CallTarget,
    op: (port: MemcachedPort) => Promise<T>,
    onOk: (value: T) => R,
    onNotOk: (notOk: NotOk) => R,
    _opts?: CallOptions,
  ): Promise<R> {
    const port = target.port;
    if (port === undefined) {
      return settle(() => onNotOk(!this.#closed && target.active ? RECONNECTING : CLOSED));
    }
    const call = new PendingCall(this.#outcomes, target, target.generation, onOk, onNotOk);
    const answer = new Promise<R>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    this.#deadlines.add(call);
    let pending: Promise<T>;
    try {
      pending = op(port);
    } catch (err) {
      call.failed(err);
      return answer;
    }
    pending.then(
      (value) => call.succeeded(value),
      (err) => call.failed(err),
    );
    return answer;
  }

  /** Marks the runner closed (before the servers close) ... */
  close(): void {
    this.#closed = true;
  }

  /** ... and settles whatever the servers' close left pending (after they closed). */
  expireAll(): void {
    this.#deadlines.expireAll();
  }

  #failed(target: CallTarget, generation: number, err: unknown): NotOk {
    if (this.#closed || !target.active) return CLOSED;
    if (classifyError(err) === 'server') {
      return { ok: false, reason: 'server', error: err instanceof ServerError ? err : new ServerError(err) };
    }
    target.failed(generation);
    if (err instanceof TimeoutError) return { ok: false, reason: 'timeout', error: err };
    return { ok: false, reason: 'connection', error: err instanceof ConnectionError ? err : new ConnectionError(err) };
  }
}

function settle<R>(answer: () => R): Promise<R> {
  try {
    return Promise.resolve(answer());
  } catch (err) {
    return Promise.reject(err);
  }
}
