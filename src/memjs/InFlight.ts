import { InFlightQueue } from '../connection/InFlightQueue';
import type { Exchange } from './Exchange';
import type { InPlaceResponse } from './InPlaceResponse';

/**
 * The requests in flight on one memjs Server, in the order they were written: the connection
 * core's queue (src/connection), with the binary protocol's identity, the opaque. memcached answers
 * a connection's requests in that order (a quiet one answers only when it has something to say, and
 * before anything asked after it), so every response is the oldest request's, or one of its parts':
 * a response with any other opaque means the stream is out of step.
 */
export class InFlight {
  readonly #queue = new InFlightQueue<Exchange>();

  get size(): number {
    return this.#queue.size;
  }

  add(exchange: Exchange): void {
    this.#queue.push(exchange);
  }

  /** The exchange waiting for an answer longest, if any. */
  get oldest(): Exchange | undefined {
    return this.#queue.head;
  }

  /**
   * Hands `response` to the oldest exchange, and forgets it once it has all of its answers. False,
   * and nothing read, when the response is not that exchange's (or there is none): a desync.
   */
  respond(response: InPlaceResponse): boolean {
    const exchange = this.#queue.head;
    const opaque = response.opaque;
    if (exchange === undefined || (exchange.opaque !== opaque && !exchange.owns(opaque))) return false;
    if (exchange.respond(response) && this.#queue.head === exchange) this.#queue.shift();
    return true;
  }

  /** Forgets every exchange, and returns them, oldest first. */
  clear(): Exchange[] {
    return this.#queue.clear();
  }
}
