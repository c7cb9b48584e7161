import type { Socket } from 'node:net';
import { expect, it } from 'vitest';
import { ConnectionError } from '../../../src/core/errors';
import { adaptServer, type InPlaceResponse, type MemjsServer } from '../../../src/memjs/memjsServer';

// One reader per socket (MemjsServer.reader), kept for the stub server's one socket.
const readers = new WeakMap<MemjsServer, (chunk: Buffer) => void>();
function readerOf(server: MemjsServer): (chunk: Buffer) => void {
  let read = readers.get(server);
  if (read === undefined) {
    read = server.reader();
    readers.set(server, read);
  }
  return read;
}

// A header no memcached sends fails the connection at once: waiting for its body would read the
// next answers as part of it, or wait out every call on the connection.
function parsing() {
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
  adaptServer(server, 1024, '127.0.0.1:1');
  // A request every answer pairs with: what it reads, and what fails it.
  const seen: InPlaceResponse[] = [];
  const errors: Error[] = [];
  server.inFlight.push({ id: 0, span: 2 ** 32, handle: (r) => seen.push(r) < 0, fail: (err) => errors.push(err) });
  return { server, seen, errors };
}

/** A get response header with a 4-byte flags extra and `body` bytes of body. */
function header(body: number): Buffer {
  const bytes = Buffer.alloc(24);
  bytes[0] = 0x81;
  bytes[4] = 4;
  bytes.writeUInt32BE(body, 8);
  bytes.writeUInt32BE(1, 12);
  return bytes;
}

it.each([
  [
    'a wrong magic byte',
    () => Object.assign(header(5), { 0: 0x42 }),
    /not memcached's binary protocol \(magic byte 0x42/,
  ],
  ['a body shorter than its extras', () => header(2), /body is shorter than its key and extras/],
])('%s fails the connection before any body arrives', (_, make, message) => {
  const { server, seen, errors } = parsing();
  readerOf(server)(make());
  expect(seen).toEqual([]);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(ConnectionError);
  expect(String(errors[0])).toMatch(message);
});
