import type net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FakeBinaryServer, responseHeader } from '../support/FakeBinaryServer';

// A server that sends a header claiming a 4 GB body and then streams bytes: the header alone fails
// the call and its connection, and the socket is closed, so nothing buffers the stream.
let fake: FakeBinaryServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Streams zeros on `socket` as fast as it drains, until it closes. */
function stream(socket: net.Socket): void {
  const chunk = Buffer.alloc(64 * 1024);
  const more = () => {
    while (!socket.destroyed && socket.write(chunk)) {
      // Until the kernel buffer is full.
    }
  };
  socket.on('drain', more);
  more();
}

it('a header claiming 4 GB fails the call and its connection at once; the streaming socket is closed', async () => {
  const closed: Promise<unknown>[] = [];
  fake = await FakeBinaryServer.start((request, socket) => {
    if (request.opcode !== 0x00) return;
    // Not events.once: the reset that closes it is an 'error' too, which would reject that.
    closed.push(new Promise((resolve) => socket.on('close', resolve)));
    socket.write(responseHeader(request, 0, 0xffff_fff0));
    stream(socket);
  });
  const cache = createClient({ servers: fake.address, timeoutMs: 5_000, allowedFailuresBeforeHealing: 5 });
  try {
    const started = performance.now();
    const answer = await cache.get('k');
    expect(answer).toMatchObject({ ok: false, reason: 'connection' });
    expect(String(!answer.ok && answer.error?.message)).toMatch(/over maxValueBytes \(67108864\)/);
    // Well before the 5 s deadline: the header was enough.
    expect(performance.now() - started).toBeLessThan(2_500);
    // The fake sees its streaming socket closed by the client.
    await Promise.all(closed);
    expect(fake.sockets.size).toBe(0);
  } finally {
    await cache.close();
  }
});

it('maxValueBytes is the bound: a smaller value than the claim is refused, a larger bound is read', async () => {
  const body = Buffer.alloc(4 + 300_000, 1);
  body.writeUInt32BE(0, 0); // flags
  fake = await FakeBinaryServer.start((request, socket) => {
    if (request.opcode !== 0x00) return;
    const header = responseHeader(request, 0, body.length);
    header[4] = 4; // extras: the flags
    socket.write(Buffer.concat([header, body]));
  });
  const strict = createClient({ servers: fake.address, timeoutMs: 5_000, maxValueBytes: 299_999 });
  const loose = createClient({ servers: fake.address, timeoutMs: 5_000, maxValueBytes: 300_000 });
  try {
    expect(await strict.get('k')).toMatchObject({ ok: false, reason: 'connection' });
    const got = await loose.get('k');
    expect(got.ok && got.item?.value.length).toBe(300_000);
  } finally {
    await strict.close();
    await loose.close();
  }
});
