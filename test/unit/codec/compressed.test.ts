import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Codec } from '../../../src/codec/Codec';
import { ASYNC_ABOVE_BYTES, COMPRESSED_FLAG, compressed } from '../../../src/codec/compressed';
import { jsonCodec } from '../../../src/codec/jsonCodec';
import { memcachedPackageCodec } from '../../../src/codec/memcachedPackageCodec';
import { pymemcacheCodec } from '../../../src/codec/pymemcacheCodec';
import { rawCodec } from '../../../src/codec/rawCodec';
import { InvalidOptionError, InvalidValueError } from '../../../src/core/errors';

const text = (n: number) => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(n / 27)).slice(0, n);

describe('compressed()', () => {
  it('is bit 8, the bit pymemcache and pylibmc mark zlib values with', () => {
    expect(COMPRESSED_FLAG).toBe(8);
  });

  it('stores values up to `above` bytes as they are', async () => {
    const codec = compressed(rawCodec, { above: 100 });
    expect(await codec.encode(text(100))).toEqual({ value: Buffer.from(text(100)), flags: 0 });
  });

  it('compresses a larger value in the zlib format Python reads (zlib.decompress = inflate)', async () => {
    const codec = compressed(pymemcacheCodec(), { above: 100 });
    const encoded = await codec.encode(text(5000));
    expect(encoded.flags).toBe(16 | 8);
    expect(encoded.value.length).toBeLessThan(500);
    expect(encoded.value[0]).toBe(0x78); // the zlib header deflateInit writes
    expect(zlib.inflateSync(encoded.value).toString()).toBe(text(5000));
    expect(await codec.decode(encoded.value, encoded.flags)).toBe(text(5000));
  });

  it('keeps the raw bytes when compressing does not make them smaller', async () => {
    const incompressible = randomBytes(2000);
    const codec = compressed(rawCodec, { above: 10 });
    const encoded = await codec.encode(incompressible);
    expect(encoded.flags).toBe(0);
    expect(encoded.value).toBe(incompressible);
  });

  it('answers synchronously up to the async threshold, and with a promise above it', () => {
    const codec = compressed(rawCodec, { above: 10 });
    const small = codec.encode(text(ASYNC_ABOVE_BYTES));
    expect(small).not.toBeInstanceOf(Promise);
    const large = codec.encode(text(ASYNC_ABOVE_BYTES + 1));
    expect(large).toBeInstanceOf(Promise);
  });

  it('round-trips values on both sides of the async threshold, both ways', async () => {
    const codec = compressed(jsonCodec<{ s: string }>(), { above: 1024 });
    for (const n of [10, 2000, ASYNC_ABOVE_BYTES * 3, 200_000]) {
      // Random-ish text so that the compressed size also lands above the threshold at 200 KB.
      const value = { s: Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * i) % 26))).join('') };
      const encoded = await codec.encode(value);
      expect(await codec.decode(encoded.value, encoded.flags)).toEqual(value);
    }
  });

  it('hands the inner codec the flags without the compression bit', async () => {
    const seen: number[] = [];
    const inner: Codec<Buffer> = {
      encode: (value) => ({ value, flags: 0x10000 }),
      decode: (v, f) => {
        seen.push(f);
        return v;
      },
    };
    const codec = compressed(inner, { above: 0 });
    const encoded = await codec.encode(Buffer.from(text(300)));
    expect(encoded.flags).toBe(0x10008);
    await codec.decode(encoded.value, encoded.flags);
    await codec.decode(Buffer.from('plain'), 0x10000);
    await codec.decode(zlib.deflateSync('x'), 0x80000008);
    expect(seen).toEqual([0x10000, 0x10000, 0x80000000]);
  });

  it('works over an async inner codec', async () => {
    const inner: Codec<string> = {
      encode: async (value) => ({ value: Buffer.from(value), flags: 0 }),
      decode: async (value) => value.toString(),
    };
    const codec = compressed(inner, { above: 10 });
    const encoded = await codec.encode(text(1000));
    expect(encoded.flags).toBe(8);
    expect(await codec.decode(encoded.value, encoded.flags)).toBe(text(1000));
  });

  it('throws on corrupt bytes under the compression bit, sync and async', async () => {
    const codec = compressed(rawCodec, { above: 0 });
    expect(() => codec.decode(Buffer.from('not zlib at all'), 8)).toThrow();
    await expect(codec.decode(Buffer.alloc(ASYNC_ABOVE_BYTES + 10, 1), 8)).rejects.toThrow();
  });

  it('refuses to inflate past maxDecompressedBytes', async () => {
    const codec = compressed(rawCodec, { above: 0, maxDecompressedBytes: 1000 });
    expect(() => codec.decode(zlib.deflateSync(Buffer.alloc(5000)), 8)).toThrow(RangeError);
  });

  it('refuses a codec that uses bit 8 itself: the memcached package numbers', () => {
    expect(() => compressed(memcachedPackageCodec(), { above: 10 })).toThrow(InvalidOptionError);
    const sneaky: Codec<Buffer> = { encode: (value) => ({ value, flags: 8 }), decode: (v) => v };
    expect(() => compressed(sneaky, { above: 0 }).encode(Buffer.from('x'))).toThrow(InvalidValueError);
  });

  it('validates its options', () => {
    for (const above of [-1, 1.5, Number.NaN, '10', undefined]) {
      expect(() => compressed(rawCodec, { above: above as number })).toThrow(InvalidOptionError);
    }
    expect(() => compressed(rawCodec, { above: 1, level: 10 })).toThrow(InvalidOptionError);
    expect(() => compressed({} as Codec<Buffer>, { above: 1 })).toThrow(InvalidOptionError);
  });
});
