import { describe, expect, it } from 'vitest';
import { EARLY_REQUESTS, TickWriter } from '../../../src/transport/TickWriter';
import { inPlace, socket, tick } from '../../support/recordingSocket';

describe('TickWriter made not ready (a socket still connecting, a TLS handshake)', () => {
  it('holds every request until ready(), then writes them at once in one write, text joined', () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s, { ready: false });
    writer.write('mg a v\r\n');
    writer.write('ms b 1 F0 T0\r\n', Buffer.from('x'), '\r\n');
    writer.write('mg c v\r\n');
    expect(writes).toEqual([]);
    writer.ready();
    expect(writes).toEqual(['mg a v\r\nms b 1 F0 T0\r\nx\r\nmg c v\r\n']);
  });

  it('drop() forgets what was held: the socket failed before it was ready', () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s, { ready: false });
    writer.write('mg a v\r\n');
    writer.drop();
    writer.ready();
    writer.write('mg b v\r\n');
    expect(writes).toEqual([]);
  });
});

/** Builds `text` in place through `writer`, as the binary adapter builds its get and set requests. */

describe('TickWriter: requests built in place', () => {
  it('writes a lone one at once, and the rest of a busy tick in one write, in order with the others', async () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s);
    inPlace(writer, 'A');
    expect(writes).toEqual(['A']);
    inPlace(writer, 'B');
    writer.write('c');
    inPlace(writer, 'D');
    inPlace(writer, 'E');
    writer.write(Buffer.from('f'));
    inPlace(writer, 'G');
    expect(writes).toEqual(['A']);
    await tick();
    expect(writes).toEqual(['A', 'BcDEfG']);
  });

  it('holds them until ready(), and forgets them on drop()', () => {
    const held = socket();
    const writer = new TickWriter(held.socket, { ready: false });
    writer.write('a');
    inPlace(writer, 'B');
    writer.ready();
    expect(held.writes).toEqual(['aB']);

    const dropped = socket();
    const other = new TickWriter(dropped.socket, { ready: false });
    inPlace(other, 'X');
    other.drop();
    other.ready();
    inPlace(other, 'Y');
    expect(dropped.writes).toEqual([]);
  });

  it('never writes over bytes it has committed: a request that does not fit gets a new buffer', async () => {
    const { socket: s } = socket();
    const kept: Buffer[] = [];
    (s as unknown as { write: (b: Buffer) => boolean }).write = (b) => kept.push(b) > 0;
    const writer = new TickWriter(s);
    const size = 40 * 1024;
    inPlace(writer, 'x'.repeat(size));
    inPlace(writer, 'y'.repeat(size));
    await tick();
    inPlace(writer, 'z');
    await tick();
    const seen = kept.map((b) => `${b.length} ${b.toString('latin1', 0, 1)}${b.toString('latin1', b.length - 1)}`);
    expect(seen).toEqual([`${size} xx`, `${size} yy`, '1 zz']);
    expect(kept[0]!.buffer === kept[1]!.buffer && kept[0]!.byteOffset === kept[1]!.byteOffset).toBe(false);
  });
});

describe('TickWriter: a text request with a body (a meta store)', () => {
  it('is written as UTF-8 with its body and tail, in order with the rest of the tick', async () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s);
    writer.write('ms clé 1 F0 T0\r\n', Buffer.from('x'), '\r\n');
    writer.write('mg k v\r\n');
    writer.write('ms 日本 2\r\n', Buffer.from('yz'), '\r\n');
    const large = Buffer.alloc(5000, 'L');
    writer.write('ms big 5000\r\n', large, '\r\n');
    writer.write('mn\r\n');
    await tick();
    expect(writes).toEqual([
      'ms clé 1 F0 T0\r\nx\r\n',
      `mg k v\r\nms 日本 2\r\nyz\r\nms big 5000\r\n${large.toString()}\r\nmn\r\n`,
    ]);
  });
});

describe('TickWriter with `awaiting`: a busy tick while its server is idle', () => {
  /** A busy tick (its first request held too) of `count` requests, with `others` awaiting answers besides them. */
  function busyTick(count: number, others: number, ready = true) {
    const { socket: s, writes } = socket();
    let held = 0;
    const writer = new TickWriter(s, { ready, awaiting: () => others + held });
    // A tick of two requests (the first goes at once, the second at its end) makes the next one busy.
    inPlace(writer, '0');
    inPlace(writer, '1');
    return {
      writes,
      writer,
      async run() {
        await tick();
        writes.length = 0;
        for (let i = 0; i < count; i++) {
          held++;
          inPlace(writer, String.fromCharCode(65 + (i % 26)));
        }
      },
    };
  }

  it(`writes its first ${EARLY_REQUESTS} requests at once when nothing else awaits an answer, the rest at its end`, async () => {
    const t = busyTick(EARLY_REQUESTS + 3, 0);
    await t.run();
    expect(t.writes).toEqual(['ABCDEFGHIJKLMNOP']);
    await tick();
    expect(t.writes).toEqual(['ABCDEFGHIJKLMNOP', 'QRS']);
  });

  it('waits for the end of the tick while the server still has requests to answer', async () => {
    const t = busyTick(EARLY_REQUESTS + 3, 1);
    await t.run();
    expect(t.writes).toEqual([]);
    await tick();
    expect(t.writes).toEqual(['ABCDEFGHIJKLMNOPQRS']);
  });

  it('holds everything before ready(), however many requests', async () => {
    const t = busyTick(EARLY_REQUESTS + 3, 0, false);
    await t.run();
    await tick();
    expect(t.writes).toEqual([]);
    t.writer.ready();
    expect(t.writes).toEqual(['01ABCDEFGHIJKLMNOPQRS']);
  });
});
