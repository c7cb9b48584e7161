import type { Socket } from 'node:net';
import { ConnectionError } from '../core/errors';
import { inSlices } from '../core/inSlices';
import type { SocketListener } from '../transport/openSocket';
import { TickWriter } from '../transport/TickWriter';
import { code, MetaReader, type MetaResponse } from './MetaReader';
import { MetaAuth } from './metaAuth';

/** A request in flight on a connection: it reads its answers, in the order memcached sends them. */
export interface MetaRequest {
  /** Reads one response; true once the request has all of its answers. */
  handle(response: MetaResponse): boolean;
  /** The connection failed (or was closed) before the request had its answers. */
  fail(err: Error): void;
}

export interface MetaConnectionSettings {
  /**
   * Opens the socket (src/transport: TCP, TLS or a UNIX socket), which reports being ready, or its
   * failure, to `listener`. Requests written before it is ready wait in Node's buffer.
   */
  readonly open: (listener: SocketListener) => Socket;
  /** `host:port`, for messages: never with credentials. */
  readonly server: string;
  /** For memcached's `-Y` auth file: authenticates first, before any other request (metaAuth.ts). */
  readonly username?: string;
  readonly password?: string;
  /** Called on every chunk received (the port counts them). */
  readonly onData: () => void;
}

const CL = code('CL');
const UNAUTHENTICATED = 'CLIENT_ERROR unauthenticated';

/**
 * One socket to one memcached, speaking the meta protocol. Requests are answered in the order they
 * were written, so the oldest request in flight reads each response (a quiet batch reads until its
 * `mn`). The requests of one tick go out in one write. Any socket failure fails every request in
 * flight and retires the connection: the port opens a new one for the next call.
 */
export class MetaConnection {
  readonly #socket: Socket;
  readonly #settings: MetaConnectionSettings;
  readonly #reader: MetaReader;
  #queue: (MetaRequest | undefined)[] = [];
  #head = 0;
  #dead: Error | undefined;
  // Writes a tick at a time, holding everything until the socket is ready (TickWriter.ts); the
  // queue's length tells it when memcached has nothing left to answer.
  readonly #writer: TickWriter;
  // Until authenticated: the first request, which reads every answer until then.
  #auth: MetaAuth | undefined;

  constructor(settings: MetaConnectionSettings) {
    this.#settings = settings;
    this.#reader = new MetaReader((response) => this.#deliver(response));
    // The transport owns the socket's errors and the connect deadline: both come to `failed`.
    const socket = settings.open({ ready: () => this.#onReady(), failed: (err) => this.destroy(err) });
    this.#socket = socket;
    this.#writer = new TickWriter(socket, { ready: false, awaiting: () => this.#queue.length - this.#head });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      settings.onData();
      if (this.#dead === undefined) this.#reader.feed(chunk);
    });
    socket.on('close', () => this.destroy(new ConnectionError(new Error(`connection closed by ${settings.server}`))));
    if (settings.username !== undefined) {
      const auth = new MetaAuth(settings.server, settings.username, settings.password ?? '', {
        write: (bytes) => socket.write(bytes),
        done: () => {
          this.#auth = undefined;
          this.#writer.ready();
        },
        failed: (err) => this.destroy(err),
      });
      this.#auth = auth;
      this.#queue.push(auth);
    }
  }

  /** False once the socket failed or was closed: the port then opens a new connection. */
  get alive(): boolean {
    return this.#dead === undefined;
  }

  /**
   * Writes `bytes` (one request, or a batch), then `value` and its CRLF when given (a store: the
   * header in `bytes`), and queues `request` to read its answers.
   */
  send(request: MetaRequest, bytes: string | Buffer, value?: Buffer): void {
    this.expect(request)?.write(bytes, value, value === undefined ? undefined : '\r\n');
  }

  /**
   * Queues `request`, whose bytes the caller writes into the writer returned, at once (the hot get
   * and set: inPlaceRequests.ts). Undefined, and the request failed, once the connection is dead.
   */
  expect(request: MetaRequest): TickWriter | undefined {
    if (this.#dead !== undefined) {
      request.fail(this.#dead);
      return undefined;
    }
    this.#queue.push(request);
    return this.#writer;
  }

  /** Fails every request in flight with `err` (in slices) and closes the socket. Idempotent. */
  destroy(err: Error): void {
    if (this.#dead !== undefined) return;
    this.#dead = err;
    this.#writer.drop();
    this.#socket.destroy();
    const failing = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    inSlices(failing, (request) => request?.fail(err));
  }

  #deliver(response: MetaResponse): boolean {
    // An auth file (-Y) is on and this connection did not authenticate, or failed to: memcached
    // answers this and closes. The server cannot be used; like a SASL failure, it counts.
    if (this.#auth === undefined && response.code === CL && response.line === UNAUTHENTICATED) {
      this.destroy(new ConnectionError(new Error(`authentication failed (${this.#settings.server})`)));
      return false;
    }
    const request = this.#queue[this.#head];
    if (request === undefined) {
      this.destroy(
        new ConnectionError(new Error(`unexpected response from ${this.#settings.server}: ${response.line}`)),
      );
      return false;
    }
    let done: boolean;
    try {
      done = request.handle(response);
    } catch (err) {
      // A response this client cannot read: the stream can no longer be trusted.
      this.destroy(new ConnectionError(err));
      return false;
    }
    if (done) {
      this.#queue[this.#head++] = undefined;
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
      }
    }
    return this.#dead === undefined;
  }

  // No socket timeout of its own: every call has the engine's deadline (the client's, or the
  // call's own `timeoutMs`, which may be longer), and a silent link fails those calls, which count.
  #onReady(): void {
    // The server answered the connect: that is something received too (MemcachedPort.received).
    this.#settings.onData();
    // With credentials, everything else waits for the authentication to succeed.
    if (this.#auth !== undefined) this.#auth.start();
    else this.#writer.ready();
  }
}
