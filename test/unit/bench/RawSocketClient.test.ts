import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RawSocketClient } from '../../../bench/RawSocketClient';

// The raw-socket rows of the tls suite count calls by finding where each answer ends: a count
// that drifts would stall a round or measure the wrong number of calls per CPU-second.

interface FakeServer {
  readonly address: string;
  /** Requests received, misses answered, and the most requests ever awaiting answers at once. */
  readonly seen: { requests: number; misses: number; mostOutstanding: number };
  readonly sockets: Socket[];
}

let server: Server | undefined;
let client: RawSocketClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  server?.close();
  server = undefined;
});

/**
 * A memcached stand-in: answers each `mg` line with `answer(n)` for the n-th request, cut into
 * pieces of `piece` bytes written in turns of its event loop, so answers and header lines reach
 * the client split.
 */
async function fakeServer(answer: (n: number) => string, piece: number): Promise<FakeServer> {
  const seen = { requests: 0, misses: 0, mostOutstanding: 0 };
  let answered = 0;
  const sockets: Socket[] = [];
  server = createServer((socket: Socket) => {
    sockets.push(socket);
    let text = '';
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', async (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const lines = text.split('\r\n');
      text = lines.pop()!;
      const out = lines
        .map(() => {
          const reply = answer(seen.requests++);
          if (reply === 'EN\r\n') seen.misses++;
          return reply;
        })
        .join('');
      seen.mostOutstanding = Math.max(seen.mostOutstanding, seen.requests - answered);
      for (let at = 0; at < out.length && !socket.destroyed; at += piece) {
        // Counted before the last piece goes: the client may answer it with its next batch at once.
        if (at + piece >= out.length) answered += lines.length;
        socket.write(out.slice(at, at + piece), 'latin1');
        await nextTurn();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { address: `127.0.0.1:${port}`, seen, sockets };
}

const hit = 'VA 12 t1\r\nvalue\r\nvalue\r\n';

describe('RawSocketClient', () => {
  it.each([
    [1, 1],
    [4, 3],
    [64, 7],
  ])('keeps %i gets in flight and counts every answer, cut into %i-byte pieces', async (depth, piece) => {
    const fake = await fakeServer((n) => (n % 5 === 4 ? 'EN\r\n' : hit), piece);
    client = await RawSocketClient.connect(fake.address);
    const sample = await client.round('k', depth, 30);
    expect(fake.seen.requests).toBeGreaterThanOrEqual(depth);
    expect(fake.seen.requests % depth).toBe(0);
    expect(fake.seen.mostOutstanding).toBe(depth);
    expect(sample.failed).toBe(fake.seen.misses);
    expect(sample.rate).toBeGreaterThan(0);
    expect(sample.cpuPerCall).toBeGreaterThan(0);
  });

  it('counts the calls of one round only in the next', async () => {
    const fake = await fakeServer(() => 'EN\r\n', 64);
    client = await RawSocketClient.connect(fake.address);
    await client.round('k', 2, 10);
    const before = fake.seen.misses;
    const second = await client.round('k', 2, 10);
    expect(second.failed).toBe(fake.seen.misses - before);
  });

  it('fails the round on an answer that is neither a value nor a miss, naming it', async () => {
    const fake = await fakeServer(() => 'SERVER_ERROR out of memory\r\n', 64);
    client = await RawSocketClient.connect(fake.address);
    await expect(client.round('k', 1, 10)).rejects.toThrow('"SERVER_ERROR out of memory"');
  });

  it('fails the round when the server closes the socket', async () => {
    const fake = await fakeServer(() => '', 64);
    client = await RawSocketClient.connect(fake.address);
    const round = client.round('k', 1, 10);
    for (const socket of fake.sockets) socket.destroy();
    await expect(round).rejects.toThrow();
    expect(fake.seen.requests).toBeLessThanOrEqual(1);
  });
});
