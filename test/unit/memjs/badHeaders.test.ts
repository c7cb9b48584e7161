import { expect, it } from 'vitest';
import { ConnectionError } from '../../../src/core/errors';
import type { InPlaceResponse } from '../../../src/memjs/memjsServer';
import { catchAll, readerOf, stubServer } from '../../support/memjsServerStub';

// A header no memcached sends fails the connection at once: waiting for its body would read the
// next answers as part of it, or wait out every call on the connection.
function parsing() {
  const server = stubServer({}, 1024);
  const seen: InPlaceResponse[] = [];
  const errors = catchAll(server, (r) => seen.push(r));
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
