import type { Socket } from 'node:net';
import { ConnectionError } from '../core/errors';
import { inSlices } from '../core/inSlices';
import type { SocketListener } from '../transport/openSocket';
import { TickWriter } from '../transport/TickWriter';
import { InFlightQueue } from './InFlightQueue';
import { malformed } from './malformed';
import { type Deliver, NO_ID, type ResponseReader, type WireAnswer, type WireRequest } from './WireRequest';

export interface ConnectionSettings<A extends WireAnswer> {
  /**
   * Opens the socket (src/transport: TCP, TLS or a UNIX socket), which reports being ready, or its
   * failure, to `listener`. Requests written before it is ready wait in the writer.
   */
  readonly open: (listener: SocketListener) => Socket;
  /** `host:port`, for messages: never with credentials. */
  readonly server: string;
  /** The protocol's reader of this socket's bytes, handing each answer to `deliver`. */
  readonly reader: (deliver: Deliver<A>) => ResponseReader;
  /** Called on every chunk received, and on connect (the port counts them). */
  readonly onData: () => void;
  /** An answer that means the connection is unusable whatever request it is paired with, or undefined. */
  readonly refuses?: (answer: A) => Error | undefined;
  /**
   * Called when the socket is ready, instead of letting the held requests go: for a login that must
   * finish first (it writes with `writeNow`), which calls `open` when requests may flow.
   */
  readonly ready?: (open: () => void) => void;
}

/** Request ids stay small integers, and a batch's ids never cross the wrap. */
const ID_LIMIT = 2 ** 30;

/**
 * One socket to one server, below every protocol: requests are written a tick at a time
 * (TickWriter), wait in one queue in write order, each with the ids its answers must carry, and
 * read their answers in that order. What any protocol's connection must not tolerate is decided
 * here once: an answer no request waits for, or whose id is not the oldest request's, or that its
 * request cannot take, and bytes the reader rejects (malformed, or past the limits), fail the
 * connection with a `ConnectionError` (which counts) and every request in flight with it. A
 * connection that nobody waits on any more while bytes still arrive is dropped (`abandon`).
 */
export class Connection<A extends WireAnswer, R extends WireRequest<A> = WireRequest<A>> {
  readonly #socket: Socket;
  readonly #settings: ConnectionSettings<A>;
  readonly #reader: ResponseReader;
  readonly #queue = new InFlightQueue<R>();
  #nextId = 0;
  #dead: Error | undefined;
  // Chunks received since the socket was ready: a connection that received none has no stream to stop.
  #chunks = 0;
  // Writes a tick at a time, holding everything until the socket is ready (TickWriter.ts); the
  // queue's size tells it when the server has nothing left to answer.
  readonly #writer: TickWriter;

  constructor(settings: ConnectionSettings<A>) {
    this.#settings = settings;
    this.#reader = settings.reader((answer) => this.#deliver(answer));
    // The transport owns the socket's errors and the connect deadline: both come to `failed`.
    const socket = settings.open({ ready: () => this.#onReady(), failed: (err) => this.destroy(err) });
    this.#socket = socket;
    this.#writer = new TickWriter(socket, { ready: false, awaiting: () => this.#queue.size });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('close', () => this.destroy(new ConnectionError(new Error(`connection closed by ${settings.server}`))));
  }

  /** False once the socket failed or was closed: the port then opens a new connection. */
  get alive(): boolean {
    return this.#dead === undefined;
  }

  /** Requests waiting for their answers. */
  get inFlight(): number {
    return this.#queue.size;
  }

  /**
   * Queues `request`, giving it its ids, and returns the writer its bytes go to, at once (a
   * request's ids are in its bytes). Undefined, and the request failed, once the connection is dead.
   */
  expect(request: R): TickWriter | undefined {
    if (this.#dead !== undefined) {
      request.fail(this.#dead);
      return undefined;
    }
    const span = request.span;
    if (span === 0) request.id = NO_ID;
    else {
      if (this.#nextId + span > ID_LIMIT) this.#nextId = 0;
      request.id = this.#nextId;
      this.#nextId += span;
    }
    this.#queue.push(request);
    return this.#writer;
  }

  /** Writes `bytes` at once, ahead of what the writer holds: a login before any request. */
  writeNow(bytes: string | Buffer): void {
    if (this.#dead === undefined) this.#socket.write(bytes);
  }

  /** Fails every request in flight with `err` (in slices) and closes the socket. Idempotent. */
  destroy(err: Error): void {
    if (this.#dead !== undefined) return;
    this.#dead = err;
    this.#writer.drop();
    this.#socket.destroy();
    inSlices(this.#queue.clear(), (request) => request.fail(err));
  }

  /**
   * Every call the engine had here has given up while bytes kept arriving (MemcachedPort.abandon):
   * whatever still streams in is for nobody, and the next requests would wait behind it.
   */
  abandon(): void {
    if (this.#dead !== undefined || this.#chunks === 0) return;
    this.destroy(new ConnectionError(new Error(`no call waits on ${this.#settings.server} any more`)));
  }

  #onData(chunk: Buffer): void {
    this.#settings.onData();
    if (this.#dead !== undefined) return;
    this.#chunks++;
    try {
      this.#reader.feed(chunk);
    } catch (err) {
      this.destroy(err instanceof ConnectionError ? err : new ConnectionError(err));
    }
  }

  #deliver(answer: A): boolean {
    const refused = this.#settings.refuses?.(answer);
    if (refused !== undefined) {
      this.destroy(refused);
      return false;
    }
    const request = this.#queue.head;
    const id = answer.id;
    if (request === undefined || (id !== NO_ID && (id - request.id) >>> 0 >= request.span)) {
      const expected = request === undefined ? 'no request waits' : `expected ${describeIds(request)}`;
      this.destroy(malformed(this.#settings.server, `an answer out of step (${answer.describe()}; ${expected})`));
      return false;
    }
    let done: boolean;
    try {
      done = request.handle(answer);
    } catch (err) {
      // An answer its request cannot take: the stream can no longer be trusted.
      this.destroy(err instanceof ConnectionError ? err : new ConnectionError(err));
      return false;
    }
    if (done && this.#queue.head === request) this.#queue.shift();
    return this.#dead === undefined;
  }

  // No socket timeout of its own: every call has the engine's deadline (the client's, or the
  // call's own `timeoutMs`, which may be longer), and a silent link fails those calls, which count.
  #onReady(): void {
    // The server answered the connect: that is something received too (MemcachedPort.received).
    this.#settings.onData();
    const ready = this.#settings.ready;
    if (ready === undefined) this.#writer.ready();
    else ready(() => this.#writer.ready());
  }
}

function describeIds(request: WireRequest<WireAnswer>): string {
  if (request.span === 0) return 'an answer without an id';
  return request.span === 1 ? `id ${request.id}` : `ids ${request.id}-${request.id + request.span - 1}`;
}
