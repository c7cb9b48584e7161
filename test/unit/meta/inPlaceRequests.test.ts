import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { storeBatchBytes, writeGet, writeSet } from '../../../src/meta/inPlaceRequests';
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

describe('a setMulti built in one buffer', () => {
  it('writes each item with its flags, expiration and index, quiet unless listed loud, then mn', () => {
    const items = [
      { key: 'a', value: Buffer.from('one'), flags: 0, expiration: 0 },
      { key: 'clé-日本-😀', value: Buffer.from('two'), flags: 4294967295, expiration: 4294967295 },
      { key: 'big', value: Buffer.from('three!'), flags: 2, expiration: 60 },
    ];
    expect(storeBatchBytes(items, [2]).toString('utf8')).toBe(
      'ms a 3 F0 T0 q O0\r\none\r\n' +
        'ms clé-日本-😀 3 F4294967295 T4294967295 q O1\r\ntwo\r\n' +
        'ms big 6 F2 T60 O2\r\nthree!\r\n' +
        'mn\r\n',
    );
    expect(storeBatchBytes([], []).toString('latin1')).toBe('mn\r\n');
  });

  it('has room for the longest numbers and keys of three-byte characters', () => {
    // 250 UTF-16 units of three UTF-8 bytes each and every flag at its longest. A write past the
    // buffer's end would be dropped silently (a typed array's), so the text is checked whole.
    const key = '日'.repeat(250);
    const value = Buffer.alloc(10, 'v');
    const item = { key, value, flags: 4294967295, expiration: 4294967295 };
    const bytes = storeBatchBytes(
      Array.from({ length: 3 }, () => item),
      [],
    ).toString('utf8');
    expect(bytes.split('\r\n').filter((line) => line.startsWith('ms '))).toEqual(
      [0, 1, 2].map((i) => `ms ${key} 10 F4294967295 T4294967295 q O${i}`),
    );
  });
});
