import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { TickWriter } from '../../../src/transport/TickWriter';
import { inPlace, socket, tick } from '../../support/recordingSocket';

/** A real TLS socket (never connected) whose writes are recorded instead of encrypted. */
function tlsSocket() {
  const s = new TLSSocket(new Socket());
  const writes: string[] = [];
  Object.defineProperty(s, 'writable', { value: true });
  s.write = ((b: string | Buffer) => writes.push(String(b)) > 0) as typeof s.write;
  return { socket: s, writes };
}

describe('TickWriter over TLS: a tick lasts until the next turn of the event loop', () => {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('writes what runs of JavaScript (one per TLS record received) make in one turn in one write', async () => {
    const { socket: s, writes } = tlsSocket();
    try {
      let awaiting = 1;
      const writer = new TickWriter(s, { awaiting: () => awaiting });
      inPlace(writer, 'A');
      expect(writes).toEqual(['A']);
      awaiting = 2;
      inPlace(writer, 'B');
      await tick();
      awaiting = 4;
      inPlace(writer, 'C');
      writer.write('d');
      await tick();
      expect(writes).toEqual(['A']);
      await turn();
      expect(writes).toEqual(['A', 'BCd']);
    } finally {
      s.destroy();
    }
  });

  it('writes nothing alone while the turn holds requests: they leave in the order they were made', async () => {
    const { socket: s, writes } = tlsSocket();
    try {
      let awaiting = 2;
      const writer = new TickWriter(s, { awaiting: () => awaiting });
      inPlace(writer, 'A');
      await tick();
      // Alone on the connection, it would go at once, ahead of A.
      awaiting = 1;
      inPlace(writer, 'B');
      expect(writes).toEqual([]);
      await turn();
      expect(writes).toEqual(['AB']);
      inPlace(writer, 'C');
      expect(writes).toEqual(['AB', 'C']);
    } finally {
      s.destroy();
    }
  });

  it('over plain TCP, writes at the end of each run instead', async () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s);
    inPlace(writer, 'A');
    inPlace(writer, 'B');
    await tick();
    inPlace(writer, 'C');
    writer.write('d');
    await tick();
    expect(writes).toEqual(['A', 'B', 'Cd']);
  });
});

/** A request whose text grows until the writer asks for it, as the text adapter's line of gets. */
function late(text: string) {
  const request = { text, asked: 0, add: (more: string) => (request.text += more) };
  const piece = {
    text: () => {
      request.asked++;
      return request.text;
    },
  };
  return { request, piece };
}

describe('TickWriter: a request written late (writeLate)', () => {
  it("even a quiet tick's first waits for the tick's end, so the tick's later gets join it", async () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s, { awaiting: () => 1 });
    const { request, piece } = late('get a');
    writer.writeLate(piece);
    request.add(' b\r\n');
    expect([writes, request.asked]).toEqual([[], 0]);
    await tick();
    expect([writes, request.asked]).toEqual([['get a b\r\n'], 1]);
  });

  it('over TLS, with nothing else awaiting an answer, it is asked for its text and written at once', () => {
    const { socket: s, writes } = tlsSocket();
    try {
      const writer = new TickWriter(s, { awaiting: () => 1 });
      const { request, piece } = late('get a\r\n');
      writer.writeLate(piece);
      expect([writes, request.asked]).toEqual([['get a\r\n'], 1]);
    } finally {
      s.destroy();
    }
  });

  it("held, its text is asked for once, at the flush or before the next request, in its place among the tick's", async () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s);
    writer.write('A');
    const first = late('get b');
    writer.writeLate(first.piece);
    first.request.add(' c');
    expect(first.request.asked).toBe(0);
    inPlace(writer, 'D');
    expect(first.request.asked).toBe(1);
    const second = late('get e');
    writer.writeLate(second.piece);
    writer.write('F');
    const third = late('get g');
    writer.writeLate(third.piece);
    third.request.add(' h');
    await tick();
    expect(writes).toEqual(['A', 'get b cDget eFget g h']);
    expect([first, second, third].map(({ request }) => request.asked)).toEqual([1, 1, 1]);
  });

  it('held while the socket is not ready, and dropped with it', () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s, { ready: false });
    const held = late('get a');
    writer.writeLate(held.piece);
    held.request.add(' b\r\n');
    writer.ready();
    expect(writes).toEqual(['get a b\r\n']);
    const dropped = new TickWriter(socket().socket, { ready: false });
    const gone = late('get c\r\n');
    dropped.writeLate(gone.piece);
    dropped.drop();
    dropped.ready();
    expect(gone.request.asked).toBe(0);
  });
});
