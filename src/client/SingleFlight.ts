/**
 * One run per key at a time within the process: callers of `run` for a key that is already running
 * share its promise (its value or its error) instead of starting another. The entry goes when the
 * run settles, so the next call after that starts a new run.
 */
export class SingleFlight<V> {
  readonly #running = new Map<string, Promise<V>>();

  run(key: string, start: () => Promise<V>): Promise<V> {
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    const flight = start().finally(() => {
      if (this.#running.get(key) === flight) this.#running.delete(key);
    });
    this.#running.set(key, flight);
    return flight;
  }

  /** How many keys are running now. */
  get size(): number {
    return this.#running.size;
  }
}
