/**
 * The requests in flight on one connection, in the order they were written: memcached answers them
 * in that order, so the oldest one reads each answer. An array with a moving head, not a Map keyed
 * by request id: at 64 callers a Map promoted about 1.5 MB per scavenge.
 */
export class InFlightQueue<R> {
  #items: (R | undefined)[] = [];
  #head = 0;

  /** How many requests wait for answers. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The oldest request, or undefined when none waits. */
  get head(): R | undefined {
    return this.#items[this.#head];
  }

  push(request: R): void {
    this.#items.push(request);
  }

  /** Forgets the oldest request: it has all of its answers. */
  shift(): void {
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    }
  }

  /** Forgets every request, and returns them, oldest first. */
  clear(): R[] {
    const out = this.#items.slice(this.#head) as R[];
    this.#items = [];
    this.#head = 0;
    return out;
  }
}
