import type { Socket } from 'node:net';
import memjs from 'memjs';
import { describe, expect, it, vi } from 'vitest';
import type { WireRequest } from '../../../src/connection/WireRequest';
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

// memjs's own parser is the reference for what a response holds.
const { parseMessage } = (
  memjs as unknown as {
    Utils: { parseMessage(buf: Buffer): { key: Buffer; extras: Buffer; val: Buffer } | false };
  }
).Utils;

function response(opcode: number, opaque: number, key: string, extras: Buffer, value: string): Buffer {
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

const FLAGS = Buffer.from([0, 0, 0, 42]);

// A memjs Server reduced to what the in-place parser touches: every opaque has a (quiet) handler.
/** A memjs Server with no socket behind it, adapted as the port adapts its own; `parts` override. */
function stubServer(parts: Record<string, unknown> = {}, maxValueBytes = 64 * 1024 * 1024): MemjsServer {
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
function catchAll(server: MemjsServer, onRespond: (response: InPlaceResponse) => void = () => {}) {
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

function fakeServer(onRespond: (server: MemjsServer, response: InPlaceResponse) => void) {
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

describe('memjs Server adapted: responses parsed in place', () => {
  it('reads responses split anywhere across chunks as memjs parses them', () => {
    const stream = Buffer.concat([
      response(0x0d, 7, 'alpha', FLAGS, 'one'),
      response(0x0d, 7, 'beta', FLAGS, 'x'.repeat(300)),
      response(0x0a, 7, '', Buffer.alloc(0), ''),
    ]);
    for (const cut of [1, 23, 24, 30, 35, 100, stream.length - 1]) {
      const { server, seen } = fakeServer(() => {});
      readerOf(server)(stream.subarray(0, cut));
      readerOf(server)(stream.subarray(cut));
      expect(seen.map((r) => r.key)).toEqual(['alpha', 'beta', '']);
      expect(seen.map((r) => r.flags)).toEqual([42, 42, 0]);
      const first = parseMessage(stream);
      if (!first) throw new Error('reference parser found no message');
      expect(seen[0]?.val).toBe(first.val.toString());
      expect(seen[0]?.extras).toEqual(first.extras);
    }
  });

  it("stops when a response retires the socket: the dead stream's tail never reaches the new one", () => {
    const { server, seen } = fakeServer((s) => {
      // What a callback that fails the connection does: the socket and its InFlight end.
      s.error(new Error('retired'));
    });
    const read = readerOf(server);
    const stream = Buffer.concat([response(0x00, 1, 'a', FLAGS, 'v'), response(0x00, 2, 'b', FLAGS, 'half')]);
    read(stream.subarray(0, stream.length - 2));
    read(stream.subarray(stream.length - 2));
    expect(seen.map((r) => r.opaque)).toEqual([1]);
    // The next socket's reader starts clean, into the next InFlight: its first answer is read as one.
    catchAll(server, (r) => seen.push({ opaque: r.opaque, key: '', extras: r.extras, val: '', flags: 0 }));
    server.reader()(response(0x00, 3, 'c', FLAGS, 'w'));
    expect(seen.map((r) => r.opaque)).toEqual([1, 3]);
  });
});

describe('memjs Server adapted: an exchange stays until it has its answers', () => {
  function recording(opaque: number, doneOn: number) {
    const server = stubServer();
    const seen: number[] = [];
    const failed: unknown[] = [];
    server.inFlight.push({
      id: opaque,
      span: 1,
      handle(r) {
        seen.push(r.opcode);
        return r.opcode === doneOn;
      },
      fail: (err) => failed.push(err),
    });
    return { server, seen, failed };
  }

  it('through refusals with or without a body (memjs dropped a quiet handler at the first empty one)', () => {
    const { server, seen } = recording(5, 0x0a);
    const refusal = (body: string) => {
      const r = response(0x0d, 5, '', Buffer.alloc(0), body);
      r.writeUInt16BE(0x01, 6);
      return r;
    };
    readerOf(server)(Buffer.concat([refusal(''), refusal('Not found')]));
    expect(server.inFlight.size).toBe(1);
    readerOf(server)(response(0x0a, 5, '', Buffer.alloc(0), ''));
    expect(seen).toEqual([0x0d, 0x0d, 0x0a]);
    expect(server.inFlight.size).toBe(0);
  });

  it('a plain exchange goes after its one response; a second one with its opaque fails the connection', () => {
    const { server, seen } = recording(9, 0x00);
    const destroyed = vi.fn();
    server._socket = { destroy: destroyed } as unknown as Socket;
    const first = server.inFlight;
    readerOf(server)(Buffer.concat([response(0x00, 9, '', FLAGS, 'v'), response(0x00, 9, '', FLAGS, 'v')]));
    expect(seen).toEqual([0x00]);
    expect(first.dead).toBeInstanceOf(ConnectionError);
    expect(String(first.dead)).toMatch(/an answer out of step \(opaque 9; no request waits\)/);
    // The socket went with it; the next requests wait for the next socket.
    expect(destroyed).toHaveBeenCalledTimes(1);
    expect(server._socket).toBeUndefined();
    expect(server.inFlight).not.toBe(first);
    expect(server.inFlight.alive).toBe(true);
  });

  it('error() fails every exchange in flight once, and forgets them', () => {
    const { server, failed } = recording(3, 0x00);
    const cause = new Error('link cut');
    server.error(cause);
    server.error(new Error('again'));
    expect(failed).toEqual([cause]);
    expect(server.inFlight.size).toBe(0);
  });

  it('abandon() drops a socket that received bytes, not one that received none', () => {
    const { server, failed } = recording(3, 0x00);
    const silent = server.inFlight;
    silent.abandon();
    expect(silent.alive).toBe(true);
    // A quiet answer's refusal arrives: bytes came, nobody waits on them any more.
    readerOf(server)(response(0x0d, 3, '', Buffer.alloc(0), '').subarray(0, 10));
    silent.abandon();
    expect(silent.alive).toBe(false);
    expect(String(failed[0])).toMatch(/no call waits on 127\.0\.0\.1:1 any more/);
  });
});

describe('InPlaceResponse.cas', () => {
  it('reads all 64 bits of the header CAS exactly', () => {
    for (const cas of [0n, 1n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const bytes = response(0x00, 1, '', FLAGS, 'v');
      bytes.writeBigUInt64BE(cas, 16);
      let read: bigint | undefined;
      const { server } = fakeServer((_, r) => {
        read = r.cas();
      });
      readerOf(server)(bytes);
      expect(read).toBe(cas);
    }
  });
});

describe('memjs Server adapted: large and lying responses', () => {
  function parsing(maxValueBytes: number) {
    const server = stubServer({}, maxValueBytes);
    const seen: InPlaceResponse[] = [];
    const errors = catchAll(server, (r) => seen.push(r));
    return { server, seen, errors };
  }

  it('joins a message that arrives in many chunks once, not once per chunk', () => {
    const { server, seen } = parsing(64 * 1024 * 1024);
    const value = 'v'.repeat(8 * 1024 * 1024);
    const stream = Buffer.concat([response(0x00, 5, '', FLAGS, value), response(0x00, 6, '', FLAGS, 'small')]);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      for (let at = 0; at < stream.length; at += 65_536) readerOf(server)(stream.subarray(at, at + 65_536));
      // Once for the large message; the small one is read where it arrived.
      expect(concat.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      concat.mockRestore();
    }
    expect(seen.map((r) => r.opaque)).toEqual([5, 6]);
    expect(seen[0]?.val.length).toBe(value.length);
    expect(seen[0]?.val.equals(Buffer.from(value))).toBe(true);
    expect(server.received).toBe(Math.ceil(stream.length / 65_536));
  });

  it('reads a header split across chunks, and the message after it', () => {
    const { server, seen } = parsing(1024);
    const stream = Buffer.concat([response(0x00, 1, 'k', FLAGS, 'x'.repeat(1000)), response(0x00, 2, '', FLAGS, 'y')]);
    for (let at = 0; at < stream.length; at += 7) readerOf(server)(stream.subarray(at, at + 7));
    expect(seen.map((r) => [r.opaque, r.val.length])).toEqual([
      [1, 1000],
      [2, 1],
    ]);
  });

  it('fails the connection at a header claiming more than maxValueBytes, before any body arrives', () => {
    const { server, seen, errors } = parsing(1024);
    const header = response(0x00, 1, '', FLAGS, '').subarray(0, 24);
    header.writeUInt32BE(0xfffffff0, 8);
    readerOf(server)(header);
    expect(seen).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/127\.0\.0\.1:1 sent a value of \d+ bytes, over maxValueBytes \(1024\)/);
  });

  it('fails it as well when the lying header arrives in pieces', () => {
    const { server, errors } = parsing(1024);
    const header = response(0x00, 1, '', FLAGS, '').subarray(0, 24);
    header.writeUInt32BE(2000, 8);
    readerOf(server)(header.subarray(0, 10));
    expect(errors).toEqual([]);
    readerOf(server)(header.subarray(10));
    expect(errors).toHaveLength(1);
  });

  it('accepts a value of exactly maxValueBytes', () => {
    const { server, seen, errors } = parsing(1000);
    readerOf(server)(response(0x00, 1, 'key', FLAGS, 'x'.repeat(1000)));
    expect(errors).toEqual([]);
    expect(seen[0]?.val.length).toBe(1000);
  });
});
