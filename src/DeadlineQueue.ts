import type { Clock } from './clock';

interface Entry {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * Deadlines that all have the same length, so they expire in the order they were added.
 * One timer serves them all (armed for the oldest), instead of a timer per call: on the healthy
 * path a call costs a Map insert and delete, not a timer set and clear. memjs's own socket timeout
 * is not enough: a socket that closes cleanly never fails the calls pending on it (memjs #162).
 */
export class DeadlineQueue {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #entries = new Map<number, Entry>();
  #nextId = 0;
  #timer: unknown = undefined;

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  /** Calls `expire` after the timeout unless `delete(id)` comes first. Returns the id. */
  add(expire: () => void): number {
    const id = this.#nextId++;
    this.#entries.set(id, { at: this.#clock.now() + this.#timeoutMs, expire });
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
    return id;
  }

  delete(id: number): void {
    this.#entries.delete(id);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Expires every pending deadline now and stops the timer (used by close()). */
  expireAll(): void {
    this.#disarm();
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) entry.expire();
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#sweep(), ms);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (const [id, entry] of this.#entries) {
      if (entry.at > now) {
        // The timer is not cleared when calls finish early, so it only ever runs late, never busy.
        this.#arm(entry.at - now);
        return;
      }
      this.#entries.delete(id);
      entry.expire();
    }
  }
}
