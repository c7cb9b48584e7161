import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/core/errors';
import { BinaryReader } from '../../../src/memjs/BinaryReader';
import type { InPlaceResponse } from '../../../src/memjs/InPlaceResponse';

const FLAGS = Buffer.from([0, 0, 0, 42]);

/** A GET response: 4 bytes of flags, `key`, `value`. */
function getResponse(opaque: number, key: string, value: Buffer): Buffer {
  const keyBytes = Buffer.from(key);
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header.writeUInt16BE(keyBytes.length, 2);
  header[4] = FLAGS.length;
  header.writeUInt32BE(FLAGS.length + keyBytes.length + value.length, 8);
  header.writeUInt32BE(opaque, 12);
  return Buffer.concat([header, FLAGS, keyBytes, value]);
}

function reading(maxValueBytes: number) {
  const seen: { opaque: number; key: string; value: Buffer; flags: number }[] = [];
  const reader = new BinaryReader(
    (r: InPlaceResponse) => {
      seen.push({ opaque: r.opaque, key: r.key.toString(), value: Buffer.from(r.val), flags: r.flags() });
      return true;
    },
    { maxValueBytes },
    '127.0.0.1:1',
  );
  return { reader, seen };
}

/** Feeds `bytes` one byte at a time; the error the reader throws, if any, and at which byte. */
function dripped(reader: BinaryReader, bytes: Buffer): { err?: unknown; at: number } {
  for (let at = 0; at < bytes.length; at++) {
    try {
      reader.feed(bytes.subarray(at, at + 1));
    } catch (err) {
      return { err, at };
    }
  }
  return { at: bytes.length };
}

describe('BinaryReader: responses a byte at a time, within maxValueBytes', () => {
  const MAX = 4096;

  it('reads a value just under maxValueBytes whole, and the response after it', () => {
    const { reader, seen } = reading(MAX);
    const value = Buffer.alloc(MAX - 1, 'v');
    value[MAX - 2] = 0x21;
    const stream = Buffer.concat([getResponse(7, 'key', value), getResponse(8, 'k2', Buffer.from('small'))]);
    expect(dripped(reader, stream)).toEqual({ at: stream.length });
    expect(seen.map((r) => [r.opaque, r.key, r.flags, r.value.length])).toEqual([
      [7, 'key', 42, MAX - 1],
      [8, 'k2', 42, 5],
    ]);
    expect(seen[0]?.value.equals(value)).toBe(true);
    expect(reader.holding).toBe(false);
  });

  it('fails the connection at the header of a value just over it, before any of its body', () => {
    const { reader, seen } = reading(MAX);
    const stream = getResponse(7, 'key', Buffer.alloc(MAX + 1, 'v'));
    const { err, at } = dripped(reader, stream);
    // The 24th byte completes the header: nothing of the body was waited for.
    expect(at).toBe(23);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(String(err)).toMatch(/127\.0\.0\.1:1 sent a value of 4097 bytes, over maxValueBytes \(4096\)/);
    expect(seen).toEqual([]);
  });

  it('counts only the value against the limit: a value of exactly maxValueBytes with its key and extras is read', () => {
    const { reader, seen } = reading(MAX);
    const stream = getResponse(1, 'a-key-of-some-length', Buffer.alloc(MAX, 'x'));
    reader.feed(stream.subarray(0, 30));
    reader.feed(stream.subarray(30));
    expect(seen.map((r) => r.value.length)).toEqual([MAX]);
  });

  it('stops reading a chunk when its answer is not wanted any more (deliver answered false)', () => {
    const seen: number[] = [];
    const reader = new BinaryReader(
      (r: InPlaceResponse) => seen.push(r.opaque) < 1,
      { maxValueBytes: MAX },
      '127.0.0.1:1',
    );
    reader.feed(Buffer.concat([getResponse(1, 'a', Buffer.from('1')), getResponse(2, 'b', Buffer.from('2'))]));
    expect(seen).toEqual([1]);
  });
});
