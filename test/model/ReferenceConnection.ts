/**
 * A reference for the property test, written from the spec with plain counters and no XState, so
 * that it shares no code (and no mistakes) with machines/connectionMachine.ts:
 *
 * - a connection failure of the current connection counts; reaching `limit` drops the connection;
 * - a success of the current connection resets the count;
 * - while the connection is down, a probe starts after a wait in [d, 2d), d = min(base * 2^failed
 *   probes, max); a probe that fails or outlasts `probeTimeoutMs` makes the next wait longer; one
 *   that succeeds brings the connection back with nothing counted;
 * - a result from a dropped connection changes nothing; close() ends everything.
 *
 * Time is simulated milliseconds; `due()` says when the next thing happens by itself.
 */
export interface ReferenceOptions {
  readonly limit: number;
  readonly recoveryDelayMs: number;
  readonly maxRecoveryDelayMs: number;
  readonly timeoutMs: number;
  readonly probeTimeoutMs: number;
  /** Whether dropping a connection leaves its calls pending (else they fail at once). */
  readonly keepCallsOnClose: boolean;
}

export type Phase = 'connected' | 'degraded' | 'waiting' | 'probing' | 'closed';

export interface Change {
  readonly state: string;
  readonly previous: string;
  readonly failures: number;
  readonly attempt: number;
}

/** A user call held in flight, and how it ended. */
export interface HeldCall {
  readonly connection: number;
  readonly deadline: number;
  /** Undefined while in flight. */
  outcome: 'ok' | 'connection' | 'timeout' | 'closed' | undefined;
}

export class ReferenceConnection {
  phase: Phase = 'connected';
  failures = 0;
  failedProbes = 0;
  /** Which connection this is: 0 at start, one more per drop. */
  connection = 0;
  now = 0;
  /** When the probe starts (waiting) or is given up (probing). */
  timerAt: number | undefined;
  held: HeldCall | undefined;
  /** Held calls that ended after their connection was dropped (answered, failed or timed out). */
  lateAnswers = 0;
  /** Every change of the user-visible state, as `subscribe` should report it. */
  readonly changes: Change[] = [];
  readonly options: ReferenceOptions;

  constructor(options: ReferenceOptions) {
    this.options = options;
  }

  get state(): 'connected' | 'degraded' | 'reconnecting' | 'closed' {
    return this.phase === 'waiting' || this.phase === 'probing' ? 'reconnecting' : this.phase;
  }

  /** Whether a call now goes to memcached (else it answers not-ok at once). */
  get up(): boolean {
    return this.phase === 'connected' || this.phase === 'degraded';
  }

  /** d for the wait about to start. */
  baseDelay(): number {
    return Math.min(this.options.recoveryDelayMs * 2 ** this.failedProbes, this.options.maxRecoveryDelayMs);
  }

  /** The next moment something happens without the user: a probe starts or times out, a call's deadline. */
  due(): number | undefined {
    const times = [this.timerAt, this.held?.outcome === undefined ? this.held?.deadline : undefined];
    const defined = times.filter((t): t is number => t !== undefined);
    return defined.length ? Math.min(...defined) : undefined;
  }

  callFailed(connection: number): void {
    if (!this.up || connection !== this.connection) return;
    this.failures++;
    if (this.failures >= this.options.limit) this.#drop();
    else this.#become('degraded');
  }

  callSucceeded(connection: number): void {
    if (this.phase !== 'degraded' || connection !== this.connection) return;
    this.failures = 0;
    this.#become('connected');
  }

  hold(): void {
    this.held = { connection: this.connection, deadline: this.now + this.options.timeoutMs, outcome: undefined };
  }

  settleHeld(outcome: 'ok' | 'connection'): void {
    const held = this.held!;
    this.#end(held, outcome);
    if (outcome === 'ok') this.callSucceeded(held.connection);
    else this.callFailed(held.connection);
  }

  /** The wait the client chose (checked against [d, 2d) by the caller) before the next probe. */
  waitFor(delayMs: number): void {
    this.timerAt = this.now + delayMs;
  }

  /** Moves time to `at` (no later than `due()`) and does what is due then. */
  advanceTo(at: number): void {
    this.now = at;
    const held = this.held;
    if (held && held.outcome === undefined && held.deadline <= at) {
      this.#end(held, 'timeout');
      this.callFailed(held.connection);
    }
    if (this.timerAt !== undefined && this.timerAt <= at) {
      if (this.phase === 'waiting') {
        this.phase = 'probing';
        this.timerAt = at + this.options.probeTimeoutMs;
      } else this.probeFailed();
    }
  }

  probeSucceeded(): void {
    this.failures = 0;
    this.failedProbes = 0;
    this.timerAt = undefined;
    this.#become('connected');
  }

  probeFailed(): void {
    this.failedProbes++;
    this.phase = 'waiting';
    this.timerAt = undefined;
  }

  close(): void {
    if (this.held?.outcome === undefined && this.held) this.held.outcome = 'closed';
    this.timerAt = undefined;
    this.#become('closed');
  }

  #drop(): void {
    this.connection++;
    this.failedProbes = 0;
    if (this.held?.outcome === undefined && this.held && !this.options.keepCallsOnClose) {
      this.#end(this.held, 'connection');
    }
    this.timerAt = undefined;
    this.#become('waiting');
  }

  #end(held: HeldCall, outcome: NonNullable<HeldCall['outcome']>): void {
    held.outcome = outcome;
    if (held.connection !== this.connection) this.lateAnswers++;
  }

  #become(phase: Phase): void {
    const previous = this.state;
    this.phase = phase;
    if (this.state !== previous) {
      this.changes.push({ state: this.state, previous, failures: this.failures, attempt: this.failedProbes });
    }
  }
}
