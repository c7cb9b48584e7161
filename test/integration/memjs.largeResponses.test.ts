import { afterEach, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FakeBinaryServer, responseHeader } from '../support/FakeBinaryServer';

// maxValueBytes bounds what the binary adapter reads: a header claiming more fails the connection
// (a header claiming 4 GB, streamed, over every adapter and transport: the conformance suite).
let fake: FakeBinaryServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
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
