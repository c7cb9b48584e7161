import type { Socket } from 'node:net';
import { malformed } from '../connection/malformed';
import { inSlices } from '../core/inSlices';
import type { TickWriter } from '../transport/TickWriter';
import { BinaryReader } from './BinaryReader';
import { OP_SASL_AUTH, OP_SASL_LIST, STATUS_AUTH_ERROR } from './binaryProtocol';
import { InFlight } from './InFlight';
import { InPlaceResponse } from './InPlaceResponse';
import { writeInTicks } from './writeInTicks';

// memjs 1.3.2's Server object (one socket to one memcached; node_modules/memjs/lib/memjs/server.js),
// as this adapter uses and changes it (adaptServer). @types/memjs does not describe it.
export type { Exchange } from './Exchange';
export type { MemjsResponse } from './InPlaceResponse';
export { InPlaceResponse };

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
  /** `received` when the current socket became ready (transportSock.ts). */
  receivedWhenReady: number;
  connectCallbacks: Array<(socket: Socket) => void>;
  timeoutSet: boolean;
  /** The requests in flight (ours, not memjs's: see adaptServer). */
  inFlight: InFlight;
  /**
   * What reads a new socket's bytes (ours, not memjs's responseHandler: see adaptServer): its own
   * BinaryReader, so nothing of a dead socket's unfinished answer reaches the next one.
   */
  reader(): (chunk: Buffer) => void;
  respond(response: InPlaceResponse): void;
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
 * responses are read where they arrived (BinaryReader.ts), and each goes to its request's
 * Exchange (InFlight.ts). (The port's socket tracking, the correctness part, stays in MemjsPort.ts.)
 *
 * memjs's own bookkeeping costs four objects per call (a closure per write, a response and an error
 * callback in two objects keyed by opaque, a deadline in an array), and its dictionaries of
 * integer keys go to hash mode with many calls in flight.
 */
export function adaptServer(server: MemjsServer, maxValueBytes: number, name: string): void {
  // memjs knows a UNIX socket server only as `path:0`, the host and port it was made with.
  server.name = name;
  server.received = 0;
  server.receivedWhenReady = 0;
  server.inFlight = new InFlight();
  writeInTicks(server);
  const limits = { maxValueBytes };
  server.reader = function (this: MemjsServer) {
    const socket = this._socket;
    const reader = new BinaryReader((response) => dispatch(this, socket, response), limits, name);
    return (chunk) => {
      this.received++;
      // A retired socket's bytes belong to a dead stream.
      if (this._socket !== socket) return;
      try {
        reader.feed(chunk);
      } catch (err) {
        this.error(err);
      }
    };
  };
  server.respond = respond;
  server.error = error;
}

/**
 * memjs's dispatch of a response (SASL list, auth failure, auth success, else a request's answer);
 * false once it retired `socket`: the rest of its bytes are for nobody.
 */
function dispatch(server: MemjsServer, socket: Socket | undefined, response: InPlaceResponse): boolean {
  const opcode = response.opcode;
  if (opcode === OP_SASL_LIST) server.saslAuth();
  else if (response.status === STATUS_AUTH_ERROR) server.error('Memcached server authentication failed!');
  else if (opcode === OP_SASL_AUTH) server.emit('authenticated');
  else server.respond(response);
  return server._socket === socket;
}

/**
 * A response goes to the oldest exchange, which must be the one of its opaque (or the batch it is a
 * part of), and says when it has all of its answers: memjs's respond dropped a quiet handler after
 * any response with an empty body, meant for the NOOP that ends a batch, but a refusal may have an
 * empty body too. A response for any other request (unsolicited, or after a dropped one) fails the
 * connection: answers can no longer be paired with their callers.
 */
function respond(this: MemjsServer, response: InPlaceResponse): void {
  if (this.inFlight.respond(response)) return;
  const oldest = this.inFlight.oldest;
  const expected = oldest === undefined ? 'no request waits' : `expected opaque ${oldest.opaque}`;
  this.error(malformed(this.name, `an answer out of step (opaque ${response.opaque}; ${expected})`));
}

/** memjs's Server.error: forget the socket and everything in flight on it, then fail each request (in slices). */
function error(this: MemjsServer, err: unknown): void {
  const failing = this.inFlight.clear();
  this.connectCallbacks = [];
  this.timeoutSet = false;
  if (this._socket) {
    this._socket.destroy();
    this._socket = undefined;
  }
  inSlices(failing, (exchange) => exchange.fail(err));
}
