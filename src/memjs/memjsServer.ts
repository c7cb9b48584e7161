import type { Socket } from 'node:net';
import { InPlaceResponse } from './InPlaceResponse';
import { parseResponsesInPlace } from './parseResponsesInPlace';

// memjs 1.3.2's Server object (one socket to one memcached; node_modules/memjs/lib/memjs/server.js): its
// `write`/`onResponse`/`onError` let the port pipeline a multi-get and send a VERSION probe on
// memjs's own socket. @types/memjs does not describe it.
export type { MemjsResponse } from './InPlaceResponse';
export { InPlaceResponse };

/**
 * With `quiet`, the handler stays after each response until it sets `done` (the end of a pipelined
 * batch: the NOOP of a multi-get, the empty STAT that ends the statistics).
 */
export type ResponseHandler = ((response: InPlaceResponse) => void) & { quiet?: boolean; done?: boolean };
/** A pipelined request in flight whose parts answer `handler` under their own opaques. */
export interface Batch {
  readonly opaques: readonly number[];
  readonly handler: ResponseHandler;
}
export interface MemjsServer {
  host: string;
  port: number;
  username?: string;
  password?: string;
  _socket?: Socket;
  connected: boolean;
  responseBuffer: Buffer;
  /** Chunks of bytes received on any socket of this server (ours, not memjs's: see adaptServer). */
  received: number;
  responseCallbacks: Record<number, ResponseHandler | undefined>;
  /** The batches in flight (ours, not memjs's: see adaptServer). */
  batches: Set<Batch>;
  errorCallbacks: Record<number, ((err: unknown) => void) | undefined>;
  /** One deadline per write, oldest first; memjs's socket timeout fires on the oldest. */
  requestTimeouts: number[];
  responseHandler(data: Buffer): void;
  respond(response: InPlaceResponse): void;
  saslAuth(): void;
  emit(event: string): boolean;
  removeAllListeners(event: string): this;
  write(request: Buffer): void;
  onResponse(seq: number, handler: ResponseHandler): void;
  onError(seq: number, handler: (err: unknown) => void): void;
  error(err: unknown): void;
  sock(sasl: boolean, go: (socket: Socket) => void): void;
}

/**
 * What this library changes in a memjs Server it creates, for speed, each for a reason memjs cannot
 * be configured for: requests of one tick share a write, and responses are parsed without copying.
 * (The port's socket tracking, the correctness part, stays in MemjsPort.ts.)
 */
export function adaptServer(server: MemjsServer, maxValueBytes: number): void {
  server.received = 0;
  coalesceWrites(server);
  parseResponsesInPlace(server, maxValueBytes);
  server.batches = new Set();
  endQuietHandlersWhenDone(server);
}

/**
 * memjs's Server.respond drops a quiet handler after any response with an empty body, meant for
 * the NOOP that ends a batch; but a refusal may have an empty body too (the handler went before
 * its NOOP came, and the call timed out), and a batch may end on a body (a refusal that settles
 * the call) which memjs would keep, with its write's deadline, so that memjs's socket timeout fired
 * later on a healthy socket. The handler says when its batch is over (`done`); then, and only
 * then, it goes with its error callback and one deadline, as memjs does.
 */
function endQuietHandlersWhenDone(server: MemjsServer): void {
  server.respond = function (this: MemjsServer, response: InPlaceResponse) {
    const opaque = response.opaque;
    const callback = this.responseCallbacks[opaque] ?? batchHandler(this.batches, opaque);
    // memjs registers none for its own SASL exchange.
    if (callback === undefined) return;
    callback(response);
    if (callback.quiet && !callback.done) return;
    delete this.responseCallbacks[opaque];
    delete this.errorCallbacks[opaque];
    this.requestTimeouts.shift();
  };
}

/**
 * The handler of the batch whose part `opaque` is: a pipelined request whose parts have their own
 * opaques (setMulti's quiet stores) answers only to refuse, so the parts are looked up here, off the
 * hot path, instead of each having a callback registered (a measurable share of a 100-item batch).
 */
function batchHandler(batches: ReadonlySet<Batch>, opaque: number): ResponseHandler | undefined {
  for (const batch of batches) {
    const { opaques } = batch;
    // The ids are consecutive but for a wrap past 2^32: find by offset, else search.
    const i = (opaque - (opaques[0] as number)) >>> 0;
    if ((i < opaques.length && opaques[i] === opaque) || opaques.includes(opaque)) return batch.handler;
  }
  return undefined;
}

/**
 * memjs writes each request with its own socket.write(), so one syscall per call: at 64 callers
 * that was over half of the process's CPU time in a profile. Corking the connected socket until the
 * end of the tick sends every request made in that tick with one writev; the wait is no longer than
 * the current run of JavaScript.
 */
function coalesceWrites(server: MemjsServer): void {
  const write = server.write;
  // A lone request is written at once: waiting for the end of the tick cost a lone caller about
  // 8% of its rate. Once a tick makes more than one request, the rest of it is corked, and while
  // ticks keep making several, the next tick's are corked from the first one on.
  let writes = 0;
  let busy = false;
  let corked: Socket | undefined;
  const endOfTick = () => {
    busy = writes > 1;
    writes = 0;
    corked?.uncork();
    corked = undefined;
  };
  server.write = function (this: MemjsServer, request: Buffer) {
    const socket = this._socket;
    if (socket !== undefined && this.connected) {
      if (writes++ === 0) process.nextTick(endOfTick);
      if (corked === undefined && (busy || writes > 1)) {
        corked = socket;
        socket.cork();
      }
    }
    write.call(this, request);
  };
}
