import type { Socket } from 'node:net';
import memjs from 'memjs';
import type { WireRequest } from '../../src/connection/WireRequest';
import { adaptServer, type InPlaceResponse, type MemjsServer } from '../../src/memjs/memjsServer';

// One reader per socket (MemjsServer.reader), kept for the stub server's one socket.
const readers = new WeakMap<MemjsServer, (chunk: Buffer) => void>();
export function readerOf(server: MemjsServer): (chunk: Buffer) => void {
  let read = readers.get(server);
  if (read === undefined) {
    read = server.reader();
    readers.set(server, read);
  }
  return read;
}

// memjs's own parser is the reference for what a response holds.
export const { parseMessage } = (
  memjs as unknown as {
    Utils: { parseMessage(buf: Buffer): { key: Buffer; extras: Buffer; val: Buffer } | false };
  }
).Utils;

export function response(opcode: number, opaque: number, key: string, extras: Buffer, value: string): Buffer {
  const keyBytes = Buffer.from(key);
  const valueBytes = Buffer.from(value);
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header[1] = opcode;
  header.writeUInt16BE(keyBytes.length, 2);
  header[4] = extras.length;
  header.writeUInt32BE(extras.length + keyBytes.length + valueBytes.length, 8);
  header.writeUInt32BE(opaque, 12);
  return Buffer.concat([header, extras, keyBytes, valueBytes]);
}

export const FLAGS = Buffer.from([0, 0, 0, 42]);

// A memjs Server reduced to what the in-place parser touches: every opaque has a (quiet) handler.
/** A memjs Server with no socket behind it, adapted as the port adapts its own; `parts` override. */
export function stubServer(parts: Record<string, unknown> = {}, maxValueBytes = 64 * 1024 * 1024): MemjsServer {
  const server = {
    _socket: { destroy() {} } as unknown as Socket,
    host: '127.0.0.1',
    port: 1,
    connected: true,
    saslAuth() {},
    emit: () => true,
    write() {},
    sock() {},
  } as unknown as MemjsServer;
  adaptServer(server, maxValueBytes, '127.0.0.1:1');
  return Object.assign(server, parts);
}

/** A request every answer pairs with (any opaque), never done: records what it reads and its failure. */
export function catchAll(server: MemjsServer, onRespond: (response: InPlaceResponse) => void = () => {}) {
  const failed: Error[] = [];
  const request: WireRequest<InPlaceResponse> = {
    id: 0,
    span: 2 ** 32,
    handle(r) {
      onRespond(r);
      return false;
    },
    fail: (err) => failed.push(err),
  };
  server.inFlight.push(request);
  return failed;
}

export function fakeServer(onRespond: (server: MemjsServer, response: InPlaceResponse) => void) {
  const seen: { opaque: number; key: string; extras: Buffer; val: string; flags: number }[] = [];
  const server = stubServer();
  catchAll(server, (r) => {
    seen.push({
      opaque: r.opaque,
      key: r.key.toString(),
      extras: Buffer.from(r.extras),
      val: r.val.toString(),
      flags: r.flags(),
    });
    onRespond(server, r);
  });
  return { server, seen };
}
