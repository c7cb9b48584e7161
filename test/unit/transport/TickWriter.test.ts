import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { TickWriter } from '../../../src/transport/TickWriter';

function socket() {
  const writes: string[] = [];
  const s = { writable: true, write: (b: string | Buffer) => writes.push(String(b)) > 0, cork() {}, uncork() {} };
  return { socket: s as unknown as Socket, writes };
}

describe('TickWriter made not ready (a socket still connecting, a TLS handshake)', () => {
  it('holds every request until ready(), then writes them at once in one write, text joined', () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s, false);
    writer.write('mg a v\r\n');
    writer.write('ms b 1 F0 T0\r\n', Buffer.from('x'), '\r\n');
    writer.write('mg c v\r\n');
    expect(writes).toEqual([]);
    writer.ready();
    expect(writes).toEqual(['mg a v\r\nms b 1 F0 T0\r\nx\r\nmg c v\r\n']);
  });

  it('drop() forgets what was held: the socket failed before it was ready', () => {
    const { socket: s, writes } = socket();
    const writer = new TickWriter(s, false);
    writer.write('mg a v\r\n');
    writer.drop();
    writer.ready();
    writer.write('mg b v\r\n');
    expect(writes).toEqual([]);
  });
});
