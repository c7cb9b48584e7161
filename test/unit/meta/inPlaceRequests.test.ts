import type { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { KeyBytes } from '../../../src/core/KeyBytes';
import { writeGet, writeKeyBatch, writeSet, writeStoreBatch } from '../../../src/meta/inPlaceRequests';
import type { WireItem } from '../../../src/port/MemcachedPort';
import { SLAB_BYTES, TickWriter } from '../../../src/transport/TickWriter';
import type { InPlace } from '../../../src/transport/writeInPlace';

/** The bytes `build` writes through a fresh writer (a lone request is written at once). */
function written(build: (writer: TickWriter) => void): string {
  const writes: Buffer[] = [];
  const socket = { writable: true, write: (b: Buffer) => writes.push(Buffer.from(b)) > 0, cork() {}, uncork() {} };
  build(new TickWriter(socket as unknown as Socket));
  return Buffer.concat(writes).toString('utf8');
}

/** The bytes a batch writer commits, written at offset 5 of a buffer of exactly the room it reserves. */
function inPlace(write: (writer: InPlace) => void): Buffer {
  let slab = Buffer.alloc(0);
  let committed = -1;
  write({
    get slab() {
      return slab;
    },
    reserve: (bytes) => {
      slab = Buffer.alloc(5 + bytes);
      return 5;
    },
    commit: (bytes) => {
      committed = bytes;
    },
  });
  return slab.subarray(5, 5 + committed);
}
const keyBatchBytes = (command: 'g' | 'd', keys: string[], flags: string, id: number) =>
  inPlace((w) => writeKeyBatch(w, command, keys, flags, id));
const storeBatchBytes = (items: readonly WireItem[], id: number) => inPlace((w) => writeStoreBatch(w, items, id));

describe('meta get and set built in place', () => {
  it('copy the key from the bytes its validation kept, when handed them', () => {
    const kept = new KeyBytes();
    expect(kept.keep('user:42')).toBe(true);
    const copy = vi.spyOn(kept, 'copyTo');
    expect(written((w) => writeGet(w, 'user:42', 5, kept))).toBe('mg user:42 v f O5\r\n');
    expect(
      written((w) => writeSet(w, { key: 'user:42', value: Buffer.from('v'), flags: 0, expiration: 0 }, 6, kept)),
    ).toBe('ms user:42 1 O6\r\nv\r\n');
    expect(copy).toHaveBeenCalledTimes(2);
    // Bytes of another key are not used.
    expect(written((w) => writeGet(w, 'user:43', 7, kept))).toBe('mg user:43 v f O7\r\n');
    expect(copy).toHaveBeenCalledTimes(2);
  });

  it('mg asks for the value and its flags, with its id as the opaque', () => {
    expect(written((w) => writeGet(w, 'user:42', 0))).toBe('mg user:42 v f O0\r\n');
    expect(written((w) => writeGet(w, 'clé-日本-😀', 1073741823))).toBe('mg clé-日本-😀 v f O1073741823\r\n');
  });

  it('ms says flags and expiration unless both are 0, with the value and its CRLF', () => {
    const value = Buffer.from('hello');
    expect(written((w) => writeSet(w, { key: 'k', value, flags: 0, expiration: 0 }, 3))).toBe('ms k 5 O3\r\nhello\r\n');
    expect(written((w) => writeSet(w, { key: 'k', value, flags: 7, expiration: 0 }, 3))).toBe(
      'ms k 5 F7 T0 O3\r\nhello\r\n',
    );
    expect(written((w) => writeSet(w, { key: 'k', value, flags: 0, expiration: 4294967295 }, 3))).toBe(
      'ms k 5 F0 T4294967295 O3\r\nhello\r\n',
    );
    expect(written((w) => writeSet(w, { key: 'clé', value: Buffer.alloc(0), flags: 10, expiration: 100 }, 3))).toBe(
      'ms clé 0 F10 T100 O3\r\n\r\n',
    );
  });

  it('a value over 4 KB is held as it is, with the same header', () => {
    const value = Buffer.alloc(10_000, 'x');
    expect(written((w) => writeSet(w, { key: 'big', value, flags: 1, expiration: 2 }, 9))).toBe(
      `ms big 10000 F1 T2 O9\r\n${'x'.repeat(10_000)}\r\n`,
    );
  });
});

describe('a setMulti built in one buffer', () => {
  it('writes each item with its flags, expiration and id (from the first one given), then mn', () => {
    const items = [
      { key: 'a', value: Buffer.from('one'), flags: 0, expiration: 0 },
      { key: 'clé-日本-😀', value: Buffer.from('two'), flags: 4294967295, expiration: 4294967295 },
      { key: 'big', value: Buffer.from('three!'), flags: 2, expiration: 60 },
    ];
    expect(storeBatchBytes(items, 40).toString('utf8')).toBe(
      'ms a 3 F0 T0 O40\r\none\r\n' +
        'ms clé-日本-😀 3 F4294967295 T4294967295 O41\r\ntwo\r\n' +
        'ms big 6 F2 T60 O42\r\nthree!\r\n' +
        'mn\r\n',
    );
    expect(storeBatchBytes([], 0).toString('latin1')).toBe('mn\r\n');
  });

  it('has room for the longest numbers and keys of three-byte characters', () => {
    // 250 UTF-16 units of three UTF-8 bytes each and every flag at its longest. A write past the
    // buffer's end would be dropped silently (a typed array's), so the text is checked whole.
    const key = '日'.repeat(250);
    const value = Buffer.alloc(10, 'v');
    const item = { key, value, flags: 4294967295, expiration: 4294967295 };
    const bytes = storeBatchBytes(
      Array.from({ length: 3 }, () => item),
      1073741821,
    ).toString('utf8');
    expect(bytes.split('\r\n').filter((line) => line.startsWith('ms '))).toEqual(
      [0, 1, 2].map((i) => `ms ${key} 10 F4294967295 T4294967295 O${1073741821 + i}`),
    );
  });
});

describe('a batch of key requests built in place', () => {
  it('writes each key with the flags given and its id (from the first one given), then mn', () => {
    const keys = ['a', 'clé-日本-😀', 'big'];
    expect(keyBatchBytes('g', keys, ' v f q', 99_998).toString('utf8')).toBe(
      'mg a v f q O99998\r\nmg clé-日本-😀 v f q O99999\r\nmg big v f q O100000\r\nmn\r\n',
    );
    expect(keyBatchBytes('d', keys.slice(0, 1), ' I q', 7).toString('latin1')).toBe('md a I q O7\r\nmn\r\n');
    expect(keyBatchBytes('d', [], ' q', 0).toString('latin1')).toBe('mn\r\n');
  });

  it('has room for keys of three-byte characters and the longest ids', () => {
    const key = '日'.repeat(250);
    const lines = keyBatchBytes('g', [key, key], ' v f q', 4294967294).toString('utf8').split('\r\n');
    expect(lines).toEqual([`mg ${key} v f q O4294967294`, `mg ${key} v f q O4294967295`, 'mn', '']);
  });
});

describe("a request built at the very end of the writer's buffer", () => {
  // Every offset the request could start at near the end of the buffer: at one of them the room it
  // reserves is exactly what is left, so a reservation short of its longest bytes (keys of
  // three-byte characters, the most per UTF-16 unit, every number at its longest) would throw or cut the request there.
  const key = '日本語'.repeat(20);
  const value = Buffer.from('v'.repeat(50));
  const cases: Array<[string, (w: TickWriter) => void, string]> = [
    ['mg', (w) => writeGet(w, key, 1073741823), `mg ${key} v f O1073741823\r\n`],
    [
      'ms',
      (w) => writeSet(w, { key, value, flags: 4294967295, expiration: 4294967295 }, 1073741823),
      `ms ${key} 50 F4294967295 T4294967295 O1073741823\r\n${value}\r\n`,
    ],
    [
      'a store written as text',
      (w) => w.write(`ms ${key} 50 O7\r\n`, value, '\r\n'),
      `ms ${key} 50 O7\r\n${value}\r\n`,
    ],
  ];
  for (const [name, build, expected] of cases) {
    it(`${name} with a key of multi-byte characters is written whole`, async () => {
      const longest = Buffer.byteLength(expected) * 3;
      for (let left = 0; left <= longest; left++) {
        const writes: Buffer[] = [];
        const socket = {
          writable: true,
          write: (b: Buffer) => writes.push(Buffer.from(b)) > 0,
          cork() {},
          uncork() {},
        };
        const writer = new TickWriter(socket as unknown as Socket);
        const filler = SLAB_BYTES - left;
        const at = writer.reserve(filler);
        writer.slab.fill(0x78, at, at + filler);
        writer.commit(filler);
        build(writer);
        await new Promise<void>((resolve) => process.nextTick(resolve));
        const out = Buffer.concat(writes);
        expect(out.length, `${left} bytes left`).toBe(filler + Buffer.byteLength(expected));
        expect(out.subarray(filler).toString('utf8'), `${left} bytes left`).toBe(expected);
      }
    });
  }
});
