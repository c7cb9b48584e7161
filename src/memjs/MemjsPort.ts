import type { Socket } from 'node:net';
import memjs from 'memjs';
import { DEFAULTS } from '../config/options';
import type { ServerAddress } from '../config/parseServers';
import { ConnectionError, ServerError, TimeoutError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { PortFactory } from '../port/MemcachedPort';
import type { TransportSettings } from '../transport/openSocket';
import type { TickWriter } from '../transport/TickWriter';
import { BinaryCommands, type BinarySocket, type Expect } from './BinaryCommands';
import { BinaryExchange } from './BinaryExchange';
import { adaptServer, type MemjsServer } from './memjsServer';
import { RequestIds } from './RequestIds';
import { transportSock } from './transportSock';

// memjs 1.3.2's Server, described in memjsServer.ts. No memjs Client is made: requests go straight
// to the Server, and memjs's Client numbers requests with `seq &= 0xffffffff`, which goes negative
// after 2^31 - 1; request ids come from RequestIds.
interface MemjsModule {
  Server: new (
    host: string,
    port: number,
    username: string | undefined,
    password: string | undefined,
    options: object,
  ) => MemjsServer;
}
const { Server } = memjs as unknown as MemjsModule;

export interface MemjsPortSettings extends TransportSettings {
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Responses claiming a longer value fail the connection at once (ClientOptions.maxValueBytes). */
  readonly maxValueBytes?: number;
  /** For tests: the first request id, e.g. next to 2^32 to cross the wrap on a real memcached. */
  readonly firstRequestId?: number;
}

/**
 * A factory of ports over memjs 1.3.2: the binary commands composed with one memjs Server (one
 * socket at a time) per port, so each server's connection lives and heals on its own.
 */
export function memjsPortFactory(settings: MemjsPortSettings): PortFactory {
  return (server) => new BinaryCommands(new MemjsSocket(server, settings));
}

// memjs's own socket timeouts are the same event as our deadline: report them the same way.
const MEMJS_TIMEOUTS = new Set(['socket timed out connecting to server.', 'socket timed out waiting on response.']);

/** One memjs Server as the binary commands' socket: request ids, writes, in-flight exchanges, close. */
class MemjsSocket implements BinarySocket {
  readonly #server: MemjsServer;
  readonly #timeoutMs: number;
  readonly #ids: RequestIds;
  // Every socket memjs opens for this port. memjs only end()s a timed-out socket; against a peer that
  // never answers it would linger half-open, so close() destroys them all.
  readonly #sockets = new Set<Socket>();
  #closed = false;
  readonly #wrapError = (err: unknown): Error => this.#wrap(err, this.#server);

  constructor(address: ServerAddress, settings: MemjsPortSettings) {
    this.#timeoutMs = settings.timeoutMs;
    this.#ids = new RequestIds(settings.firstRequestId);
    const serverOptions = {
      // No request timeout of memjs's own: it is a socket idle timer, late when the event loop is
      // held, and then fails every call on the socket as an outage although the answers have
      // arrived; and it cannot know a call's own, longer, timeoutMs. The
      // engine's deadlines settle calls, a probe has its own deadline, and abandon() ends a
      // connection nobody waits on.
      timeout: 0,
      conntimeout: settings.connectTimeoutMs / 1000,
      keepAlive: false,
    };
    const server = new Server(address.host, address.port, address.username, address.password, serverOptions);
    // memjs falls back to MEMCACHIER_*/MEMCACHE_* environment credentials; only configured ones count.
    server.username = address.username;
    server.password = address.password;
    this.#trackSockets(server, transportSock(address, settings));
    adaptServer(server, settings.maxValueBytes ?? DEFAULTS.maxValueBytes, address.id);
    this.#server = server;
  }

  nextOpaque(): number {
    return this.#ids.next();
  }

  get received(): number {
    return this.#server.received;
  }

  // Requests are built in binaryRequest.ts and written straight to memjs's Server, which finds each
  // response's exchange by opaque and parses the responses (memjsServer.ts); memjs's own get()/set()
  // would build them with five Buffers each, and its set() cannot write flags.
  write(request: Buffer): void {
    this.#server.write(request);
  }

  readonly expect: Expect = (opaque, read, key, outcome, also) => {
    this.#server.inFlight.push(new BinaryExchange(opaque, read, key, this.#wrapError, outcome, also));
  };

  writer(): TickWriter | undefined {
    return this.#server.writer();
  }

  // The connection core's rule (InFlight.abandon): the next call reconnects.
  abandon(): void {
    if (!this.#closed) this.#server.inFlight.abandon();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const closing = new ConnectionError(new Error('connection closed by the client'));
    // Server.error() fails every callback still pending on the server: memjs's own close() would
    // leave them hanging forever (memjs issue #162).
    this.#server.error(closing);
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  // memjs hands out Errors, and for a SASL failure a plain string; make every rejection an Error whose
  // kind classifyError can tell. Status errors from memjs ("MemJS GET: ...") become ServerErrors.
  #wrap(err: unknown, server?: MemjsServer): Error {
    if (err instanceof ConnectionError || err instanceof ServerError) return err;
    if (typeof err === 'string') {
      const where = server ? ` (${server.name})` : '';
      return new ConnectionError(new Error(`${err}${where}`));
    }
    if (!(err instanceof Error)) return new ConnectionError(err);
    if (MEMJS_TIMEOUTS.has(err.message)) return new TimeoutError(this.#timeoutMs, { cause: err });
    if (err.message.startsWith('MemJS ') && !('code' in err)) return new ServerError(err);
    return err;
  }

  // memjs keeps per-server state across sockets: the half-received response of a socket that died
  // mid-value stays in `responseBuffer`, and the callbacks and deadlines of its requests stay
  // registered, so the next socket's bytes were parsed as the tail of the dead response and every
  // later call timed out until the client was replaced (seen with a link cut in a 64 KB value).
  // And memjs's close handler clears `_socket` whichever socket is current: a late close of a
  // retired socket orphaned the new one (seen after a SASL failure: calls hung, listeners piled up).
  // So each socket's state goes with the socket, and only the current socket's close touches the server.
  // Sockets are opened by src/transport/ (TCP, TLS, UNIX), through `sock` (transportSock.ts).
  #trackSockets(server: MemjsServer, sock: MemjsServer['sock']): void {
    const sockets = this.#sockets;
    const mine = new Set<Socket>();
    server.sock = function (this: MemjsServer, sasl, go) {
      const before = this._socket;
      if (before === undefined) {
        // A new socket (each has its own reader, so no dead stream's bytes reach it).
        // memjs adds a once('authenticated') per connect and only a successful SASL exchange removes
        // it: each failed one would leave a listener (holding its request), and the 11th would warn
        // MaxListenersExceededWarning. A new socket has no earlier exchange to finish.
        this.removeAllListeners('authenticated');
        for (const old of mine) old.destroy();
      }
      sock.call(this, sasl, go);
      const socket = this._socket;
      if (socket && socket !== before && !sockets.has(socket)) {
        sockets.add(socket);
        mine.add(socket);
        // The only close handler the server gets: transportSock installs none of memjs's.
        socket.on('close', () => {
          sockets.delete(socket);
          mine.delete(socket);
          // Retired already (error, timeout, close()): memjs has moved on, nothing here is this socket's.
          if (server._socket !== socket) return;
          // Closed under memjs (peer FIN, a cut link): memjs would leave its calls hanging (memjs #162).
          server.connected = false;
          server.error(new ConnectionError(new Error(`connection closed by ${server.name}`)));
        });
      }
    };
  }
}
