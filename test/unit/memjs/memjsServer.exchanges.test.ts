import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionError } from '../../../src/core/errors';
import { FLAGS, readerOf, response, stubServer } from '../../support/memjsServerStub';

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
