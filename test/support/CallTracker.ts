/** What `track` answers for a call that hung (no answer within the limit) or rejected. */
export const NO_ANSWER: unique symbol = Symbol('noAnswer');

/**
 * Times every call of a workload and counts the ones that did not settle within `limitMs`
 * (the client's `timeoutMs` plus a slack for a loaded machine). A hung call is counted when its
 * watchdog fires, and the caller gets `NO_ANSWER` back (as for a rejection), so one hung call cannot stall the workload.
 */
export class CallTracker {
  readonly limitMs: number;
  calls = 0;
  hung = 0;
  /** Calls that rejected although their input was valid (a valid call must answer, not throw). */
  rejected = 0;
  worstMs = 0;
  readonly rejections: unknown[] = [];
  readonly #pending = new Set<Promise<unknown>>();

  constructor(limitMs: number) {
    this.limitMs = limitMs;
  }

  track<T>(call: () => Promise<T>): Promise<T | typeof NO_ANSWER> {
    this.calls++;
    const started = performance.now();
    let watchdog: NodeJS.Timeout | undefined;
    const settled = call().then(
      (value) => {
        this.#finish(started, watchdog);
        return value;
      },
      (err: unknown): typeof NO_ANSWER => {
        this.#finish(started, watchdog);
        this.rejected++;
        if (this.rejections.length < 10) this.rejections.push(err);
        return NO_ANSWER;
      },
    );
    this.#pending.add(settled);
    settled.finally(() => this.#pending.delete(settled));
    const hung = new Promise<typeof NO_ANSWER>((resolve) => {
      watchdog = setTimeout(() => {
        this.hung++;
        resolve(NO_ANSWER);
      }, this.limitMs);
      watchdog.unref();
    });
    return Promise.race([settled, hung]);
  }

  /** Calls started and not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /** One line for the test output. */
  summary(): string {
    return `calls=${this.calls} hung=${this.hung} rejected=${this.rejected} worst=${this.worstMs.toFixed(1)}ms (limit ${this.limitMs}ms)`;
  }

  #finish(started: number, watchdog: NodeJS.Timeout | undefined): void {
    clearTimeout(watchdog);
    this.worstMs = Math.max(this.worstMs, performance.now() - started);
  }
}
