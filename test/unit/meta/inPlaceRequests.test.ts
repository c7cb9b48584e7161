import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { writeGet, writeSet } from '../../../src/meta/inPlaceRequests';
import { TickWriter } from '../../../src/transport/TickWriter';

/** The bytes `build` writes through a fresh writer (a lone request is written at once). */
function written(build: (writer: TickWriter) => void): string {
  const writes: Buffer[] = [];
  const socket = { writable: true, write: (b: Buffer) => writes.push(Buffer.from(b)) > 0, cork() {}, uncork() {} };
  build(new TickWriter(socket as unknown as Socket));
  return Buffer.concat(writes).toString('utf8');
}

describe('meta get and set built in place', () => {
  it('mg asks for the value and its flags', () => {
    expect(written((w) => writeGet(w, 'user:42'))).toBe('mg user:42 v f\r\n');
    expect(written((w) => writeGet(w, 'clé-日本-😀'))).toBe('mg clé-日本-😀 v f\r\n');
  });

  it('ms says flags and expiration unless both are 0, with the value and its CRLF', () => {
    const value = Buffer.from('hello');
    expect(written((w) => writeSet(w, 'k', value, 0, 0))).toBe('ms k 5\r\nhello\r\n');
    expect(written((w) => writeSet(w, 'k', value, 7, 0))).toBe('ms k 5 F7 T0\r\nhello\r\n');
    expect(written((w) => writeSet(w, 'k', value, 0, 4294967295))).toBe('ms k 5 F0 T4294967295\r\nhello\r\n');
    expect(written((w) => writeSet(w, 'clé', Buffer.alloc(0), 10, 100))).toBe('ms clé 0 F10 T100\r\n\r\n');
  });

  it('a value over 4 KB is held as it is, with the same header', () => {
    const value = Buffer.alloc(10_000, 'x');
    expect(written((w) => writeSet(w, 'big', value, 1, 2))).toBe(`ms big 10000 F1 T2\r\n${'x'.repeat(10_000)}\r\n`);
  });
});
