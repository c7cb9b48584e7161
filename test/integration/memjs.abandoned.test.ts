import type net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FakeBinaryServer, responseHeader } from '../support/FakeBinaryServer';

// A response within maxValueBytes that streams in too slowly. Once every
// call on the connection has given up while bytes keep arriving for it, nobody waits for them:
// the client closes that socket (memjs's own socket timeout never fired while bytes flowed).
let fake: FakeBinaryServer;
const closed: Promise<void>[] = [];
beforeAll(async () => {
  fake = await FakeBinaryServer.start((request, socket: net.Socket) => {
    if (request.opcode !== 0x00) return;
    closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
    // Claims 32 MB, sends 16 KB every 5 ms, forever.
    socket.write(responseHeader(request, 0, 32 * 1024 * 1024));
    const chunk = Buffer.alloc(16 * 1024);
    const timer = setInterval(() => {
      if (socket.destroyed) clearInterval(timer);
      else socket.write(chunk);
    }, 5);
    socket.on('close', () => clearInterval(timer));
  });
});
afterAll(async () => {
  await fake?.close();
});

it('a connection whose calls all timed out while bytes kept coming is closed', async () => {
  const cache = createClient({ servers: fake.address, timeoutMs: 100, allowedFailuresBeforeHealing: 1_000 });
  try {
    expect(await cache.get('slow')).toMatchObject({ ok: false, reason: 'timeout' });
    // The fake sees its streaming socket closed by the client (vitest's timeout bounds the wait).
    await closed[0];
    expect(fake.sockets.size).toBe(0);
    expect(cache.state).not.toBe('reconnecting');
  } finally {
    await cache.close();
  }
});
