import { ConnectionError } from '../core/errors';
import { inSlices } from '../core/inSlices';
import { InFlightQueue } from './InFlightQueue';
import { malformed } from './malformed';
import { NO_ID, type ResponseReader, type WireAnswer, type WireRequest } from './WireRequest';

export interface InFlightSettings<A extends WireAnswer> {
  /** `host:port`, for messages: never with credentials. */
  readonly server: string;
  /** Ends the socket: called once, by the first failure, before the requests are failed. */
  readonly end: (err: Error) => void;
  /** An answer that means the connection is unusable whatever request it is paired with, or undefined. */
  readonly refuses?: (answer: A) => Error | undefined;
}

/**
 * The requests in flight on one socket, in write order, and what no protocol may tolerate on it:
 * an answer no request waits for, or whose id is not the oldest request's, or that its request
 * cannot take, and bytes the reader rejects, fail the socket (`end`) with a `ConnectionError`
 * (which counts) and every request in flight with it, in slices. A socket that nobody waits on any
 * more while bytes still arrive is dropped (`abandon`). The part of a connection that does not own
 * its socket: `Connection` owns one for the line protocols; memjs's Server owns the binary
 * adapter's (it opens them and runs SASL on them), so that adapter keeps one of these per socket.
 */
export class InFlight<A extends WireAnswer, R extends WireRequest<A>> {
  readonly #queue = new InFlightQueue<R>();
  readonly #settings: InFlightSettings<A>;
  #dead: Error | undefined;
  // Chunks read: a socket that received none has no stream to stop.
  #chunks = 0;

  constructor(settings: InFlightSettings<A>) {
    this.#settings = settings;
  }

  /** False once the socket failed or was closed. */
  get alive(): boolean {
    return this.#dead === undefined;
  }

  /** Why the socket failed, once it has. */
  get dead(): Error | undefined {
    return this.#dead;
  }

  /** Requests waiting for their answers. */
  get size(): number {
    return this.#queue.size;
  }

  /** Queues `request` (its ids already given); false, and the request failed, once the socket is dead. */
  push(request: R): boolean {
    const dead = this.#dead;
    if (dead !== undefined) {
      request.fail(dead);
      return false;
    }
    this.#queue.push(request);
    return true;
  }

  /** Hands a chunk of the socket's bytes to `reader`; what it throws fails the socket. */
  read(reader: ResponseReader, chunk: Buffer): void {
    if (this.#dead !== undefined) return;
    this.#chunks++;
    try {
      reader.feed(chunk);
    } catch (err) {
      this.fail(err instanceof ConnectionError ? err : new ConnectionError(err));
    }
  }

  /** A reader's answer, for the oldest request: false once the socket is dead (stop reading). */
  deliver(answer: A): boolean {
    const refused = this.#settings.refuses?.(answer);
    if (refused !== undefined) {
      this.fail(refused);
      return false;
    }
    const request = this.#queue.head;
    const id = answer.id;
    if (request === undefined || (id !== NO_ID && (id - request.id) >>> 0 >= request.span)) {
      const expected = request === undefined ? 'no request waits' : `expected ${describeIds(request)}`;
      this.fail(malformed(this.#settings.server, `an answer out of step (${answer.describe()}; ${expected})`));
      return false;
    }
    let done: boolean;
    try {
      done = request.handle(answer);
    } catch (err) {
      // An answer its request cannot take: the stream can no longer be trusted.
      this.fail(err instanceof ConnectionError ? err : new ConnectionError(err));
      return false;
    }
    if (done && this.#queue.head === request) this.#queue.shift();
    return this.#dead === undefined;
  }

  /** Ends the socket and fails every request in flight with `err` (in slices). Idempotent. */
  fail(err: Error): void {
    if (this.#dead !== undefined) return;
    this.#dead = err;
    this.#settings.end(err);
    inSlices(this.#queue.clear(), (request) => request.fail(err));
  }

  /**
   * Every call the engine had here has given up while bytes kept arriving (MemcachedPort.abandon):
   * whatever still streams in is for nobody, and the next requests would wait behind it.
   */
  abandon(): void {
    if (this.#dead !== undefined || this.#chunks === 0) return;
    this.fail(new ConnectionError(new Error(`no call waits on ${this.#settings.server} any more`)));
  }
}

function describeIds(request: WireRequest<WireAnswer>): string {
  if (request.span === 0) return 'an answer without an id';
  return request.span === 1 ? `id ${request.id}` : `ids ${request.id}-${(request.id + request.span - 1) >>> 0}`;
}
