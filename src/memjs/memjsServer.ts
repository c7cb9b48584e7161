import type { Socket } from 'node:net';
import { InFlight } from '../connection/InFlight';
import type { WireRequest } from '../connection/WireRequest';
import { ConnectionError } from '../core/errors';
import type { TickWriter } from '../transport/TickWriter';
import { BinaryReader } from './BinaryReader';
import { OP_SASL_AUTH, OP_SASL_LIST, STATUS_AUTH_ERROR } from './binaryProtocol';
import { InPlaceResponse } from './InPlaceResponse';
import { writeInTicks } from './writeInTicks';

// memjs 1.3.2's Server object (one socket to one memcached; node_modules/memjs/lib/memjs/server.js),
// as this adapter uses and changes it (adaptServer). @types/memjs does not describe it.
export type { MemjsResponse } from './InPlaceResponse';
export { InPlaceResponse };

/** The requests in flight on one of a memjs Server's sockets: the connection core's. */
export type BinaryInFlight = InFlight<InPlaceResponse, WireRequest<InPlaceResponse>>;

export interface MemjsServer {
  host: string;
  port: number;
  /** The server as errors name it: `host:port`, or a UNIX socket's path (ours, not memjs's: see adaptServer). */
  name: string;
  username?: string;
  password?: string;
  _socket?: Socket;
  connected: boolean;
  /** Chunks of bytes received on any socket of this server, and connects (ours, not memjs's: see adaptServer). */
  received: number;
  connectCallbacks: Array<(socket: Socket) => void>;
  timeoutSet: boolean;
  /**
   * The requests in flight on the current socket, or for the next one (ours, not memjs's: see
   * adaptServer). A failure ends it with its socket, and the server starts a new one.
   */
  inFlight: BinaryInFlight;
  /**
   * What reads a new socket's bytes (ours, not memjs's responseHandler: see adaptServer): its own
   * BinaryReader into the socket's InFlight, so nothing of a dead socket's stream reaches the next.
   */
  reader(): (chunk: Buffer) => void;
  saslAuth(): void;
  emit(event: string): boolean;
  removeAllListeners(event: string): this;
  write(request: Buffer): void;
  /** The current socket's writer, when it is ready for requests (writeInTicks.ts). */
  writer(): TickWriter | undefined;
  error(err: unknown): void;
  sock(sasl: boolean, go: (socket: Socket) => void): void;
}

/**
 * What this library changes in a memjs Server it creates, each for a reason memjs cannot be
 * configured for. memjs keeps opening the socket and its SASL exchange (sock, listSasl, saslAuth);
 * requests and responses are this library's: requests of one tick share a write (writeInTicks.ts),
 * responses are read where they arrived (BinaryReader.ts), and what fails a socket (an answer out
 * of step, bytes the reader rejects, abandonment, `error`) is the connection core's InFlight, one
 * per socket. (The port's socket tracking, the correctness part, stays in MemjsPort.ts.)
 *
 * memjs's own bookkeeping costs four objects per call (a closure per write, a response and an error
 * callback in two objects keyed by opaque, a deadline in an array), and its dictionaries of
 * integer keys go to hash mode with many calls in flight.
 */
export function adaptServer(server: MemjsServer, maxValueBytes: number, name: string): void {
  // memjs knows a UNIX socket server only as `path:0`, the host and port it was made with.
  server.name = name;
  server.received = 0;
  server.inFlight = nextInFlight(server);
  writeInTicks(server);
  const limits = { maxValueBytes };
  server.reader = function (this: MemjsServer) {
    const inFlight = this.inFlight;
    const reader = new BinaryReader((response) => dispatch(this, inFlight, response), limits, name);
    return (chunk) => {
      this.received++;
      inFlight.read(reader, chunk);
    };
  };
  server.error = error;
}

/**
 * The in-flight requests of the server's next socket. Ending it forgets the socket as memjs's
 * Server.error did (its connect callbacks, its timer), and the requests after it go to a new one.
 */
function nextInFlight(server: MemjsServer): BinaryInFlight {
  const inFlight: BinaryInFlight = new InFlight({
    server: server.name,
    end() {
      if (server.inFlight !== inFlight) return;
      server.inFlight = nextInFlight(server);
      server.connectCallbacks = [];
      server.timeoutSet = false;
      const socket = server._socket;
      server._socket = undefined;
      socket?.destroy();
    },
  });
  return inFlight;
}

/**
 * memjs's dispatch of a response (SASL list, auth failure, auth success), else the answer of the
 * oldest request, which the core pairs by opaque; false once the socket is dead.
 */
function dispatch(server: MemjsServer, inFlight: BinaryInFlight, response: InPlaceResponse): boolean {
  const opcode = response.opcode;
  if (opcode === OP_SASL_LIST) server.saslAuth();
  else if (response.status === STATUS_AUTH_ERROR) server.error('Memcached server authentication failed!');
  else if (opcode === OP_SASL_AUTH) server.emit('authenticated');
  else return inFlight.deliver(response);
  return inFlight.alive;
}

/** memjs's Server.error: the current socket fails, with everything in flight on it. */
function error(this: MemjsServer, err: unknown): void {
  this.inFlight.fail(asError(err, this.name));
}

// memjs fails a SASL refusal with a plain string.
function asError(err: unknown, server: string): Error {
  if (err instanceof Error) return err;
  return new ConnectionError(new Error(typeof err === 'string' ? `${err} (${server})` : String(err)));
}
