import type { Socket } from 'node:net';
import { ConnectionError } from '../core/errors';
import type { SocketListener } from '../transport/openSocket';
import { TickWriter } from '../transport/TickWriter';
import { InFlight } from './InFlight';
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

/**
 * Request ids wrap here, and a batch's ids never cross the wrap. A meta request writes its id in
 * decimal and its answer returns it, so each digit costs the hot get twice; five digits are still
 * far more ids than one connection has in flight.
 */
const ID_LIMIT = 100_000;

/**
 * One socket to one server, below every line protocol: requests are written a tick at a time
 * (TickWriter), wait in one queue in write order (InFlight), each with the ids its answers must
 * carry, and read their answers in that order. What no protocol's connection may tolerate is
 * InFlight's, decided once: an answer out of step or that its request cannot take, and bytes the
 * reader rejects (malformed, or past the limits), fail the connection with a `ConnectionError`
 * (which counts) and every request in flight with it; a connection that nobody waits on any more
 * while bytes still arrive is dropped (`abandon`).
 */
export class Connection<A extends WireAnswer, R extends WireRequest<A> = WireRequest<A>> {
  readonly #socket: Socket;
  readonly #reader: ResponseReader;
  readonly #inFlight: InFlight<A, R>;
  #nextId = 0;
  // Writes a tick at a time, holding everything until the socket is ready (TickWriter.ts); the
  // queue's size tells it when the server has nothing left to answer.
  readonly #writer: TickWriter;
  readonly #settings: ConnectionSettings<A>;
  #endsWith: Error | undefined = undefined;

  constructor(settings: ConnectionSettings<A>) {
    this.#settings = settings;
    const inFlight = new InFlight<A, R>({
      server: settings.server,
      refuses: settings.refuses,
      end: () => {
        this.#writer.drop();
        this.#socket.destroy();
      },
    });
    this.#inFlight = inFlight;
    this.#reader = settings.reader((answer) => inFlight.deliver(answer));
    // The transport owns the socket's errors and the connect deadline: both come to `failed`.
    const socket = settings.open({ ready: () => this.#onReady(), failed: (err) => this.destroy(err) });
    this.#socket = socket;
    this.#writer = new TickWriter(socket, { ready: false, awaiting: () => inFlight.size });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      settings.onData();
      inFlight.read(this.#reader, chunk);
    });
    socket.on('close', () => this.destroy(new ConnectionError(new Error(`connection closed by ${settings.server}`))));
  }

  /** False once the socket failed or was closed: the port then opens a new connection. */
  get alive(): boolean {
    return this.#inFlight.alive;
  }

  /** Requests waiting for their answers. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Queues `request`, giving it its ids, and returns the writer its bytes go to, at once (a
   * request's ids are in its bytes). Undefined, and the request failed, once the connection is dead.
   */
  expect(request: R): TickWriter | undefined {
    const inFlight = this.#inFlight;
    if (inFlight.alive) {
      const span = request.span;
      if (span === 0) request.id = NO_ID;
      else {
        if (this.#nextId + span > ID_LIMIT) this.#nextId = 0;
        request.id = this.#nextId;
        this.#nextId += span;
      }
    }
    return inFlight.push(request) ? this.#writer : undefined;
  }

  /** Writes `bytes` at once, ahead of what the writer holds: a login before any request. */
  writeNow(bytes: string | Buffer): void {
    if (this.#inFlight.alive) this.#socket.write(bytes);
  }

  /** Fails every request in flight with `err` (in slices) and closes the socket. Idempotent. */
  destroy(err: Error): void {
    this.#inFlight.fail(this.#endsWith ?? err);
  }

  /**
   * From now on, whatever closes or fails the socket (but an answer out of shape) fails the requests
   * still in flight with `err`: a connection retired because its server is about to close it.
   */
  endsWith(err: Error): void {
    this.#endsWith = err;
  }

  /**
   * Every call the engine had here has given up while bytes kept arriving (MemcachedPort.abandon):
   * whatever still streams in is for nobody, and the next requests would wait behind it.
   */
  abandon(): void {
    this.#inFlight.abandon();
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
