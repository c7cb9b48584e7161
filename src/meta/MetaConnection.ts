import type { Socket } from 'node:net';
import { loginFirst } from '../connection/AuthFileLogin';
import { Connection } from '../connection/Connection';
import type { WireLimits, WireRequest } from '../connection/WireRequest';
import type { SocketListener } from '../transport/openSocket';
import type { TickWriter } from '../transport/TickWriter';
import { MetaReader, type MetaResponse } from './MetaReader';

/**
 * A request in flight on a connection: it reads its answers, in the order memcached sends them. A
 * meta request carries its id as its opaque (`O<id>`), which memcached returns on every answer but
 * the error lines; a classic one (`version`, `stats`, `flush_all`, the login) has span 0.
 */
export type MetaRequest = WireRequest<MetaResponse>;

export interface MetaConnectionSettings {
  /**
   * Opens the socket (src/transport: TCP, TLS or a UNIX socket), which reports being ready, or its
   * failure, to `listener`. Requests written before it is ready wait in the writer.
   */
  readonly open: (listener: SocketListener) => Socket;
  /** `host:port`, for messages: never with credentials. */
  readonly server: string;
  /** For memcached's `-Y` auth file: authenticates first, before any other request (AuthFileLogin.ts). */
  readonly username?: string;
  readonly password?: string;
  /** Called on every chunk received (the port counts them). */
  readonly onData: () => void;
  /** The bounds of values and lines; memcached's defaults when not given. */
  readonly limits?: WireLimits;
}

/**
 * One socket to one memcached, speaking the meta protocol: the connection core (src/connection)
 * with the meta reader plugged in, and the auth file's login. Any failure fails every request in
 * flight and retires the connection: the port opens a new one for the next call.
 */
export class MetaConnection {
  readonly #core: Connection<MetaResponse, MetaRequest>;

  constructor(settings: MetaConnectionSettings) {
    const { server, limits } = settings;
    // With credentials, the auth file's login goes first and everything else waits for it.
    const login = loginFirst<MetaResponse>(server, settings.username, settings.password);
    this.#core = new Connection<MetaResponse, MetaRequest>({
      open: settings.open,
      server,
      onData: settings.onData,
      reader: (deliver) => new MetaReader(deliver, limits, server),
      refuses: login.refuses,
      ...(login.ready && { ready: login.ready }),
    });
    login.begin(this.#core);
  }

  /** False once the socket failed or was closed: the port then opens a new connection. */
  get alive(): boolean {
    return this.#core.alive;
  }

  /**
   * Queues `request` (giving it its id), then writes `bytes(id)` (one request), then
   * `value` and its CRLF when given (a store: the header in `bytes`).
   */
  send(request: MetaRequest, bytes: (id: number) => string | Buffer, value?: Buffer): void {
    this.#core.expect(request)?.write(bytes(request.id), value, value === undefined ? undefined : '\r\n');
  }

  /**
   * Queues `request`, whose bytes the caller writes into the writer returned, at once (the hot get
   * and set: inPlaceRequests.ts), with `request.id`. Undefined, and the request failed, once the
   * connection is dead.
   */
  expect(request: MetaRequest): TickWriter | undefined {
    return this.#core.expect(request);
  }

  /** Fails every request in flight with `err` (in slices) and closes the socket. Idempotent. */
  destroy(err: Error): void {
    this.#core.destroy(err);
  }

  /** Drops the connection if bytes arrived on it: nobody waits for them (MemcachedPort.abandon). */
  abandon(): void {
    this.#core.abandon();
  }
}
