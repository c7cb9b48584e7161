import type { Socket } from 'node:net';
import { malformed } from '../connection/malformed';
import { HEADER_BYTES, OP_SASL_AUTH, OP_SASL_LIST, STATUS_AUTH_ERROR, uint16At, uint32At } from './binaryProtocol';
import { InPlaceResponse } from './InPlaceResponse';

// The parts of memjs's Server (memjsServer.ts) the parser uses.
interface ParsingServer {
  name: string;
  _socket?: Socket;
  received: number;
  responseBuffer: Buffer;
  responseHandler(data: Buffer): void;
  respond(response: InPlaceResponse): void;
  saslAuth(): void;
  emit(event: string): boolean;
  error(err: unknown): void;
}

const NO_BYTES = Buffer.alloc(0);
const RESPONSE_MAGIC = 0x81;

/**
 * memjs's Server.responseHandler, minus its copying: memjs allocates a zero-filled buffer and copies
 * its leftover plus every chunk that arrives into it, then re-slices the rest after each message.
 * This reads the messages where they are. An incomplete message's chunks are kept in a list and
 * joined once, when the last one arrives: joining per chunk re-copied the whole partial message
 * each time, quadratic in its size. A
 * header whose value is over `maxValueBytes` fails the connection at once instead of being
 * buffered. Same dispatch as memjs (SASL list, auth failure, auth success, else respond), and the
 * response has the fields memjs's callbacks read.
 */
export function parseResponsesInPlace(server: ParsingServer, maxValueBytes: number): void {
  // The incomplete message: its chunks (the first one is also `responseBuffer`, so a new socket's
  // reset of that buffer shows here), their bytes, and its whole length once its header is in.
  let parts: Buffer[] = [];
  let partBytes = 0;
  let needed = 0;
  server.responseHandler = function (this: ParsingServer, data: Buffer) {
    this.received++;
    const socket = this._socket;
    if (parts.length > 0 && parts[0] !== this.responseBuffer) parts = [];
    let buf: Buffer;
    if (parts.length === 0) {
      buf = this.responseBuffer.length === 0 ? data : Buffer.concat([this.responseBuffer, data]);
    } else {
      parts.push(data);
      partBytes += data.length;
      if (needed === 0 && partBytes >= HEADER_BYTES) {
        const header = parts[0]!.length >= HEADER_BYTES ? parts[0]! : Buffer.concat(parts, partBytes);
        if (badHeader(this, header, 0, maxValueBytes)) return;
        needed = HEADER_BYTES + uint32At(header, 8);
      }
      if (needed === 0 || partBytes < needed) return;
      buf = Buffer.concat(parts, partBytes);
      parts = [];
    }
    let offset = 0;
    while (buf.length - offset >= HEADER_BYTES) {
      if (badHeader(this, buf, offset, maxValueBytes)) return;
      const keyLength = uint16At(buf, offset + 2);
      const extrasLength = buf[offset + 4]!;
      const totalBodyLength = uint32At(buf, offset + 8);
      // Like memjs's parseMessage: wait for the whole message.
      if (buf.length - offset < HEADER_BYTES + totalBodyLength) break;
      const opcode = buf[offset + 1]!;
      const status = uint16At(buf, offset + 6);
      const opaque = uint32At(buf, offset + 12);
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
      // make it the start of the new socket's first answer (MemjsPort.ts #trackSockets).
      if (this._socket !== socket) return;
    }
    if (offset === buf.length) {
      this.responseBuffer = NO_BYTES;
      return;
    }
    const tail = buf.subarray(offset);
    this.responseBuffer = tail;
    parts = [tail];
    partBytes = tail.length;
    needed = tail.length >= HEADER_BYTES ? HEADER_BYTES + uint32At(tail, 8) : 0;
  };
}

/**
 * Fails the connection if the header at `offset` is not a binary response's (its magic byte, a body
 * shorter than its key and extras: waiting on would read the next answers as this one's) or claims
 * a value over `maxValueBytes`.
 */
function badHeader(server: ParsingServer, buf: Buffer, offset: number, maxValueBytes: number): boolean {
  const valueBytes = uint32At(buf, offset + 8) - uint16At(buf, offset + 2) - buf[offset + 4]!;
  let detail: string;
  if (buf[offset] !== RESPONSE_MAGIC) {
    detail = `a response that is not memcached's binary protocol (magic byte 0x${buf[offset]!.toString(16)}, expected 0x81)`;
  } else if (valueBytes < 0) {
    detail = 'a response whose body is shorter than its key and extras';
  } else if (valueBytes > maxValueBytes) {
    detail = `a value of ${valueBytes} bytes, over maxValueBytes (${maxValueBytes})`;
  } else {
    return false;
  }
  server.error(malformed(server.name, detail));
  return true;
}
