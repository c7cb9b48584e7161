import type { Socket } from 'node:net';
import memjs from 'memjs';
import { describe, expect, it } from 'vitest';
import { adaptServer, type InPlaceResponse, type MemjsServer } from '../../../src/memjs/memjsServer';

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

// A memjs Server reduced to what the in-place parser touches.
function fakeServer(onRespond: (server: MemjsServer, response: InPlaceResponse) => void) {
  const seen: { opaque: number; key: string; extras: Buffer; val: string; flags: number }[] = [];
  const record = (r: InPlaceResponse) => {
    seen.push({
      opaque: r.opaque,
      key: r.key.toString(),
      extras: Buffer.from(r.extras),
      val: r.val.toString(),
      flags: r.flags(),
    });
    onRespond(server, r);
  };
  const server = {
    _socket: {} as Socket,
    connected: true,
    responseBuffer: Buffer.alloc(0),
    saslAuth() {},
    emit: () => true,
    error() {},
    write() {},
    sock() {},
  } as unknown as MemjsServer;
  adaptServer(server);
  // The parser is under test here, not the dispatch (tested below): record what it hands on.
  server.respond = record;
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
      server.responseHandler(stream.subarray(0, cut));
      server.responseHandler(stream.subarray(cut));
      expect(seen.map((r) => r.key)).toEqual(['alpha', 'beta', '']);
      expect(seen.map((r) => r.flags)).toEqual([42, 42, 0]);
      const first = parseMessage(stream);
      if (!first) throw new Error('reference parser found no message');
      expect(seen[0]?.val).toBe(first.val.toString());
      expect(seen[0]?.extras).toEqual(first.extras);
      expect(server.responseBuffer.length).toBe(0);
    }
  });

  it("stops when a response retires the socket: the dead stream's tail never reaches the new one", () => {
    const fresh = Buffer.alloc(0);
    const { server, seen } = fakeServer((s) => {
      // What a callback that fails the connection and reconnects does: memjs drops the socket,
      // the port's socket tracking resets the buffer for the new one.
      s._socket = {} as Socket;
      s.responseBuffer = fresh;
    });
    const stream = Buffer.concat([response(0x00, 1, 'a', FLAGS, 'v'), response(0x00, 2, 'b', FLAGS, 'half')]);
    server.responseHandler(stream.subarray(0, stream.length - 2));
    expect(seen.map((r) => r.opaque)).toEqual([1]);
    expect(server.responseBuffer).toBe(fresh);
  });
});

describe('memjs Server adapted: quiet handlers end at the NOOP', () => {
  function dispatching() {
    const server = {
      _socket: {} as Socket,
      connected: true,
      responseBuffer: Buffer.alloc(0),
      responseCallbacks: {},
      errorCallbacks: {},
      requestTimeouts: [],
      saslAuth() {},
      emit: () => true,
      error() {},
      write() {},
      sock() {},
    } as unknown as MemjsServer;
    adaptServer(server);
    return server;
  }

  // Issue 11 #7: memjs dropped a quiet handler at any empty body, so a refused GETKQ (error status,
  // no body) left the NOOP with nobody to answer and the multi-get timed out.
  it('keeps a quiet handler through empty-body refusals until its NOOP', () => {
    const server = dispatching();
    const got: string[] = [];
    const handler = Object.assign((r: InPlaceResponse) => got.push(`${r.opcode}:${r.status}`), { quiet: true });
    server.onResponse = (seq, h) => {
      server.responseCallbacks[seq] = h;
    };
    server.onResponse(9, handler);
    server.errorCallbacks[9] = () => {};
    server.requestTimeouts.push(0);
    const refusal = response(0x0d, 9, '', Buffer.alloc(0), '');
    refusal.writeUInt16BE(0x84, 6);
    server.responseHandler(Buffer.concat([refusal, refusal, response(0x0a, 9, '', Buffer.alloc(0), '')]));
    expect(got).toEqual(['13:132', '13:132', '10:0']);
    expect(server.responseCallbacks[9]).toBeUndefined();
    expect(server.errorCallbacks[9]).toBeUndefined();
    expect(server.requestTimeouts).toEqual([]);
  });

  it('drops a plain handler after its one response', () => {
    const server = dispatching();
    const got: number[] = [];
    server.responseCallbacks[3] = (r: InPlaceResponse) => got.push(r.opaque);
    server.responseHandler(Buffer.concat([response(0x00, 3, '', FLAGS, 'v'), response(0x00, 3, '', FLAGS, 'v')]));
    expect(got).toEqual([3]);
  });
});
