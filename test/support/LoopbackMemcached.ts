import { once } from 'node:events';
import net from 'node:net';
import type { Protocol } from '../../src/config/protocol';
import { responseHeader } from './FakeBinaryServer';

/** What a request asks, as far as the model suites tell requests apart. */
export type WireOp = 'get' | 'version' | 'auth';

/** One request as the fake read it, with the ways it can be answered. */
export interface WireRequest {
  readonly op: WireOp;
  /** The connection it came on: destroying it is a connection failure of every call on it. */
  readonly socket: net.Socket;
  /** A miss for a get, the version for a version, success for authentication. */
  answer(): void;
  /** memcached's error status for the command (out of memory): an answer, the link stays up. */
  answerError(): void;
}

const VERSION = '1.6.0-fake';
const OP_GET = 0x00;
const OP_VERSION = 0x0b;
const OP_SASL_LIST = 0x20;
const OP_SASL_AUTH = 0x21;
const STATUS_OK = 0x00;
const STATUS_KEY_NOT_FOUND = 0x01;
const STATUS_OUT_OF_MEMORY = 0x82;

/**
 * A memcached on loopback that speaks just enough of one protocol for the model suites to drive a
 * real adapter (the memjs one over binary, the meta one, the text one) through real sockets: `get` (always a
 * miss), `version` (the probe's round trip) and authentication (binary SASL PLAIN, meta's `-Y`
 * auth `set`), each accepted. Every request is handed to `onRequest`, which answers it, holds it,
 * or destroys its socket, so a fault is exact. Anything else is a bug of the suite: the fake
 * destroys the socket and throws.
 */
export class LoopbackMemcached {
  /** Connections open at the fake's end. */
  readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly server: net.Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (a free port); `changed` hears every connection closed. */
  static async start(
    protocol: Protocol,
    onRequest: (request: WireRequest) => void,
    changed: () => void,
  ): Promise<LoopbackMemcached> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const fake = new LoopbackMemcached(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => {
        fake.sockets.delete(socket);
        changed();
      });
      // A client that resets the link is one of the faults under test, not a failure of the fake.
      socket.on('error', () => {});
      const read = protocol === 'binary' ? binaryReader(socket, onRequest) : metaReader(socket, onRequest);
      socket.on('data', read);
    });
    return fake;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

// Binary: 24-byte headers, each answered with the request's opcode and opaque.
function binaryReader(socket: net.Socket, onRequest: (request: WireRequest) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 24) {
      const bodyBytes = pending.readUInt32BE(8);
      if (pending.length < 24 + bodyBytes) return;
      const request = { opcode: pending[1]!, opaque: pending.readUInt32BE(12), key: Buffer.alloc(0) };
      pending = pending.subarray(24 + bodyBytes);
      const reply = (status: number, body: string) => {
        const value = Buffer.from(body);
        if (!socket.destroyed) socket.write(Buffer.concat([responseHeader(request, status, value.length), value]));
      };
      const op = binaryOp(request.opcode, socket);
      const ok = op === 'get' ? [STATUS_KEY_NOT_FOUND, 'Not found'] : [STATUS_OK, ANSWERS[op]];
      onRequest({
        op,
        socket,
        answer: () => reply(ok[0] as number, ok[1] as string),
        answerError: () => reply(STATUS_OUT_OF_MEMORY, 'Out of memory'),
      });
    }
  };
}

const ANSWERS: Record<Exclude<WireOp, 'get'>, string> = { version: VERSION, auth: 'Authenticated' };

function binaryOp(opcode: number, socket: net.Socket): WireOp {
  if (opcode === OP_GET) return 'get';
  if (opcode === OP_VERSION) return 'version';
  if (opcode === OP_SASL_LIST || opcode === OP_SASL_AUTH) return 'auth';
  socket.destroy();
  throw new Error(`LoopbackMemcached: binary opcode 0x${opcode.toString(16)} is not one the model suites send`);
}

// Meta and text: one request a line (`mg` or `get`, `version`, the auth probe `mn`), but the auth
// `set`, whose data block follows its line.
function metaReader(socket: net.Socket, onRequest: (request: WireRequest) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('latin1');
    for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
      const line = pending.slice(0, end);
      let consumed = end + 2;
      const op = metaOp(line, socket);
      if (op === 'auth' && line !== 'mn') {
        consumed += Number(line.split(' ')[4]) + 2;
        if (pending.length < consumed) return;
      }
      pending = pending.slice(consumed);
      const reply = (text: string) => {
        if (!socket.destroyed) socket.write(text);
      };
      // A miss returns the request's opaque, as memcached does (a classic `get` has none).
      const opaque = / (O\d+)/.exec(line)?.[1];
      const miss = line.startsWith('get ') ? 'END\r\n' : `EN ${opaque}\r\n`;
      // The auth probe (`mn`) is answered as memcached -Y answers it, then the auth `set`.
      const authAnswer = line === 'mn' ? 'CLIENT_ERROR unauthenticated\r\n' : 'STORED\r\n';
      const ok = op === 'get' ? miss : op === 'version' ? `VERSION ${VERSION}\r\n` : authAnswer;
      onRequest({ op, socket, answer: () => reply(ok), answerError: () => reply('SERVER_ERROR out of memory\r\n') });
    }
  };
}

function metaOp(line: string, socket: net.Socket): WireOp {
  if (line.startsWith('mg ') || line.startsWith('get ')) return 'get';
  if (line === 'version') return 'version';
  if (line.startsWith('set _auth ') || line === 'mn') return 'auth';
  socket.destroy();
  throw new Error(`LoopbackMemcached: meta request "${line}" is not one the model suites send`);
}
