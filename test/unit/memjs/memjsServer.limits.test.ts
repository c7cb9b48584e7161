import { describe, expect, it, vi } from 'vitest';
import type { InPlaceResponse } from '../../../src/memjs/memjsServer';
import { catchAll, FLAGS, readerOf, response, stubServer } from '../../support/memjsServerStub';

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
