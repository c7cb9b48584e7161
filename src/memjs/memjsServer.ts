import type { Socket } from 'node:net';
import { HEADER_BYTES, OP_NOOP, OP_SASL_AUTH, OP_SASL_LIST, STATUS_AUTH_ERROR } from './binaryProtocol';

// memjs 1.3.2's Server object (one socket to one memcached), which FACTS.md describes: its
// `write`/`onResponse`/`onError` let the port pipeline a multi-get and send a VERSION probe on
// memjs's own socket. @types/memjs does not describe it.
export interface MemjsResponse {
  readonly header: {
    readonly opcode: number;
    readonly status: number;
    readonly totalBodyLength: number;
    readonly opaque: number;
  };
  readonly key: Buffer;
  readonly extras: Buffer;
  readonly val: Buffer;
}

/**
 * A response read where it arrived: the header fields are read once, key/extras/val become Buffer
 * views only when asked for (a multi-get reads a hit's flags and key without them). It is its own
 * `header`, so memjs's callbacks (which read header.status, header.opcode, header.totalBodyLength)
 * work on it unchanged.
 */
export class InPlaceResponse implements MemjsResponse {
  constructor(
    readonly opcode: number,
    readonly status: number,
    readonly totalBodyLength: number,
    readonly opaque: number,
    readonly buf: Buffer,
    readonly extrasAt: number,
    readonly keyAt: number,
    readonly valAt: number,
    readonly end: number,
  ) {}

  get header(): this {
    return this;
  }

  get extras(): Buffer {
    return this.buf.subarray(this.extrasAt, this.keyAt);
  }

  get key(): Buffer {
    return this.buf.subarray(this.keyAt, this.valAt);
  }

  get val(): Buffer {
    return this.buf.subarray(this.valAt, this.end);
  }

  /** The 32-bit flags of a GET-like response (the first 4 bytes of extras), 0 when absent. */
  flags(): number {
    return this.keyAt - this.extrasAt >= 4 ? this.buf.readUInt32BE(this.extrasAt) : 0;
  }

  /** The header's 64-bit CAS value, exactly. */
  cas(): bigint {
    return this.buf.readBigUInt64BE(this.extrasAt - 8);
  }

  /** Whether the key is `key`: ASCII keys are compared in place, others decoded. */
  keyIs(key: string): boolean {
    const length = this.valAt - this.keyAt;
    // UTF-8 never takes fewer bytes than UTF-16 takes units.
    if (length < key.length) return false;
    if (length === key.length) {
      const buf = this.buf;
      let i = 0;
      for (; i < length; i++) {
        const c = key.charCodeAt(i);
        if (c > 0x7f) break;
        if (buf[this.keyAt + i] !== c) return false;
      }
      if (i === length) return true;
    }
    return this.key.toString('utf8') === key;
  }
}
/** With `quiet`, memjs keeps the handler after a response with a body (for quiet gets). */
export type ResponseHandler = ((response: InPlaceResponse) => void) & { quiet?: boolean };
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
  errorCallbacks: Record<number, ((err: unknown) => void) | undefined>;
  /** One deadline per write, oldest first; memjs's socket timeout fires on the oldest. */
  requestTimeouts: number[];
  responseHandler(data: Buffer): void;
  respond(response: InPlaceResponse): void;
  saslAuth(): void;
  emit(event: string): boolean;
  removeAllListeners(event: string): this;
  listenerCount(event: string): number;
  write(request: Buffer): void;
  onResponse(seq: number, handler: ResponseHandler): void;
  onError(seq: number, handler: (err: unknown) => void): void;
  error(err: unknown): void;
  sock(sasl: boolean, go: (socket: Socket) => void): void;
}

/**
 * What this library changes in a memjs Server it creates, for speed, each for a reason memjs cannot
 * be configured for: requests of one tick share a write, and responses are parsed without copying.
 * (The port's socket tracking, the correctness part, stays in memjsPort.ts.)
 */
export function adaptServer(server: MemjsServer): void {
  server.received = 0;
  coalesceWrites(server);
  parseResponsesInPlace(server);
  endQuietHandlersAtNoop(server);
}

/**
 * memjs's Server.respond drops a quiet handler after any response with an empty body, meant for
 * the NOOP that ends a quiet batch. But memcached's refusals have empty bodies too: a server that
 * answered a multi-get's GETKQs with an error status made the handler go before the NOOP came, and
 * the call timed out and counted as an outage instead of answering `server` (issue 11 #7). A quiet
 * handler here lives until the NOOP of its batch, whatever the other responses say.
 */
function endQuietHandlersAtNoop(server: MemjsServer): void {
  server.respond = function (this: MemjsServer, response: InPlaceResponse) {
    const opaque = response.opaque;
    const callback = this.responseCallbacks[opaque];
    // memjs registers none for its own SASL exchange.
    if (!callback) return;
    callback(response);
    if (callback.quiet && response.opcode !== OP_NOOP) return;
    delete this.responseCallbacks[opaque];
    this.requestTimeouts.shift();
    delete this.errorCallbacks[opaque];
  };
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

const NO_BYTES = Buffer.alloc(0);

/**
 * memjs's Server.responseHandler, minus its copying: memjs allocates a zero-filled buffer and copies
 * its leftover plus every chunk that arrives into it, then re-slices the rest after each message.
 * This reads the messages where they are and keeps only an incomplete tail. Same dispatch as memjs
 * (SASL list, auth failure, auth success, else respond), and the response has the fields memjs's
 * callbacks read (header.status, header.opcode, header.totalBodyLength, key, extras, val).
 */
function parseResponsesInPlace(server: MemjsServer): void {
  server.responseHandler = function (this: MemjsServer, data: Buffer) {
    this.received++;
    const socket = this._socket;
    const buf = this.responseBuffer.length === 0 ? data : Buffer.concat([this.responseBuffer, data]);
    let offset = 0;
    while (buf.length - offset >= HEADER_BYTES) {
      const keyLength = buf.readUInt16BE(offset + 2);
      const extrasLength = buf[offset + 4]!;
      const totalBodyLength = buf.readUInt32BE(offset + 8);
      // Like memjs's parseMessage: wait for the whole message (a malformed one stops parsing).
      if (buf.length - offset < HEADER_BYTES + totalBodyLength || totalBodyLength < keyLength + extrasLength) break;
      const opcode = buf[offset + 1]!;
      const status = buf.readUInt16BE(offset + 6);
      const opaque = buf.readUInt32BE(offset + 12);
      const extrasAt = offset + HEADER_BYTES;
      const keyAt = extrasAt + extrasLength;
      const valAt = keyAt + keyLength;
      offset = extrasAt + totalBodyLength;
      const response = new InPlaceResponse(
        opcode,
        status,
        totalBodyLength,
        opaque,
        buf,
        extrasAt,
        keyAt,
        valAt,
        offset,
      );
      if (opcode === OP_SASL_LIST) this.saslAuth();
      else if (status === STATUS_AUTH_ERROR) this.error('Memcached server authentication failed!');
      else if (opcode === OP_SASL_AUTH) this.emit('authenticated');
      else this.respond(response);
      // A callback or an auth failure retired the socket: the rest of these bytes belong to a dead
      // stream, and a new socket has reset (or will reset) the buffer; writing the tail back would
      // make it the start of the new socket's first answer (memjsPort.ts #trackSockets).
      if (this._socket !== socket) return;
    }
    this.responseBuffer = offset === buf.length ? NO_BYTES : buf.subarray(offset);
  };
}
