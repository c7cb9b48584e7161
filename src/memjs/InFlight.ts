import type { Exchange } from './Exchange';
import type { InPlaceResponse } from './InPlaceResponse';

/**
 * The requests in flight on one memjs Server, in the order they were written. memcached answers a
 * connection's requests in that order (a quiet one answers only when it has something to say, and
 * before anything asked after it), so a response is almost always the oldest request's: found at
 * the head, not looked up. A response that is not (a desynchronised stream) is searched for.
 *
 * An array with a moving head instead of a Map keyed by opaque: with the Map, at 64 callers
 * against a real memcached, each scavenge promoted about 1.5 MB (the meta adapter's queue: 43 KB)
 * and the old generation was compacted every 180 ms.
 */
export class InFlight {
  #queue: (Exchange | undefined)[] = [];
  #head = 0;
  // Counted, not found by a walk of the queue: the writer asks at every request of a busy tick.
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(exchange: Exchange): void {
    this.#queue.push(exchange);
    this.#size++;
  }

  /** The exchange that `opaque` answers: the request of that opaque, or the batch it is a part of. */
  find(opaque: number): Exchange | undefined {
    const i = this.#indexOf(opaque);
    return i < 0 ? undefined : this.#queue[i];
  }

  /**
   * Hands `response` to the exchange it answers, and forgets that exchange once it has all of its
   * answers. False when no exchange is waiting for it (memjs's own SASL exchange has none).
   */
  respond(response: InPlaceResponse): boolean {
    const i = this.#indexOf(response.opaque);
    if (i < 0) return false;
    if ((this.#queue[i] as Exchange).respond(response)) this.#removeAt(i);
    return true;
  }

  /** Forgets `exchange`: it has all of its answers. */
  delete(exchange: Exchange): void {
    const i = this.#queue.indexOf(exchange, this.#head);
    if (i >= 0) this.#removeAt(i);
  }

  #indexOf(opaque: number): number {
    const queue = this.#queue;
    for (let i = this.#head; i < queue.length; i++) {
      const exchange = queue[i];
      if (exchange !== undefined && (exchange.opaque === opaque || exchange.owns(opaque))) return i;
    }
    return -1;
  }

  #removeAt(i: number): void {
    const queue = this.#queue;
    queue[i] = undefined;
    this.#size--;
    while (this.#head < queue.length && queue[this.#head] === undefined) this.#head++;
    if (this.#head === queue.length) {
      queue.length = 0;
      this.#head = 0;
    }
  }

  /** Forgets every exchange, and returns them, oldest first. */
  clear(): Exchange[] {
    const out: Exchange[] = [];
    for (let i = this.#head; i < this.#queue.length; i++) {
      const exchange = this.#queue[i];
      if (exchange !== undefined) out.push(exchange);
    }
    this.#queue = [];
    this.#head = 0;
    this.#size = 0;
    return out;
  }
}
