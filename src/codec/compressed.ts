import zlib from 'node:zlib';
import { InvalidOptionError, InvalidValueError } from '../core/errors';
import { type Codec, type Encoded, isPromiseLike } from './Codec';

/**
 * The flag bit pymemcache (`FLAG_COMPRESSED`, serde.py) and pylibmc (`PYLIBMC_FLAG_ZLIB`,
 * _pylibmcmodule.h) set on a zlib-compressed value: either side reads the other's.
 */
export const COMPRESSED_FLAG = 1 << 3;

/**
 * Above this many bytes of input, zlib runs on its thread pool (`zlib.deflate` / `zlib.inflate`)
 * instead of on the event loop. `bench/zlibThreshold.ts` on the 2-core CI machine under load:
 * `deflateSync` of 16 KiB of JSON-like text takes 0.5-1.1 ms, of 64 KiB 4-7 ms (docs/values.md).
 */
export const ASYNC_ABOVE_BYTES = 16 * 1024;

const DEFAULT_MAX_DECOMPRESSED = 64 * 1024 * 1024;

export interface CompressedOptions {
  /** Values of more than this many bytes (after the inner codec) are compressed, smaller ones stored as they are. */
  readonly above: number;
  /** zlib's level, 0-9. @default 6 (zlib's default, as pylibmc and Python's `zlib.compress`) */
  readonly level?: number;
  /**
   * A compressed value that inflates past this many bytes answers `reason: 'decode'` instead of
   * filling memory (corrupt bytes, or a value from another writer). @default 67108864 (64 MiB)
   */
  readonly maxDecompressedBytes?: number;
}

/**
 * Wraps `codec`: a value whose encoding is longer than `above` bytes is stored zlib-compressed (the
 * zlib format with its header, `deflateInit`'s, which pylibmc and pymemcache's CompressedSerde
 * write) with flag bit 8 added, unless compressing did not make it smaller; reading inflates any
 * value carrying the bit and hands the inner codec the bytes and the flags without it. Values above
 * 16 KiB go through zlib's async API, so compression never holds the event loop for long.
 */
export function compressed<V, In>(codec: Codec<V, In>, options: CompressedOptions): Codec<V, In> {
  const { above, level = zlib.constants.Z_DEFAULT_COMPRESSION } = options ?? ({} as CompressedOptions);
  const maxOutputLength = options?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  if (!Number.isInteger(above) || above < 0)
    throw new InvalidOptionError('above', above, 'a whole number of bytes >= 0');
  if (level !== zlib.constants.Z_DEFAULT_COMPRESSION && !(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new InvalidOptionError('level', level, 'a whole number in 0..9');
  }
  if (!Number.isInteger(maxOutputLength) || maxOutputLength < 1) {
    throw new InvalidOptionError('maxDecompressedBytes', maxOutputLength, 'a whole number of bytes >= 1');
  }
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new InvalidOptionError('codec', codec, 'a codec with encode and decode');
  }
  if (((codec.flagBits ?? 0) & COMPRESSED_FLAG) !== 0) {
    throw new InvalidOptionError('codec', codec, 'a codec that leaves flag bit 8 (0x8) free for compression');
  }
  const deflateOptions = { level };
  const inflateOptions = { maxOutputLength };

  const compress = (encoded: Encoded): Encoded | Promise<Encoded> => {
    if ((encoded.flags & COMPRESSED_FLAG) !== 0) {
      throw new InvalidValueError('the inner codec set flag bit 8, which compressed() uses to mark compression');
    }
    const raw = encoded.value;
    if (raw.length <= above) return encoded;
    const smaller = (deflated: Buffer): Encoded =>
      deflated.length < raw.length ? { value: deflated, flags: encoded.flags | COMPRESSED_FLAG } : encoded;
    if (raw.length <= ASYNC_ABOVE_BYTES) return smaller(zlib.deflateSync(raw, deflateOptions));
    return new Promise((resolve, reject) => {
      zlib.deflate(raw, deflateOptions, (err, deflated) => (err ? reject(err) : resolve(smaller(deflated))));
    });
  };

  return {
    flagBits: (codec.flagBits ?? 0) | COMPRESSED_FLAG,
    encode(value: In): Encoded | Promise<Encoded> {
      const encoded = codec.encode(value);
      return isPromiseLike(encoded) ? Promise.resolve(encoded).then(compress) : compress(encoded);
    },
    decode(value: Buffer, flags: number): V | Promise<V> {
      if ((flags & COMPRESSED_FLAG) === 0) return codec.decode(value, flags);
      const inner = (flags & ~COMPRESSED_FLAG) >>> 0;
      if (value.length <= ASYNC_ABOVE_BYTES) return codec.decode(zlib.inflateSync(value, inflateOptions), inner);
      return new Promise<Buffer>((resolve, reject) => {
        zlib.inflate(value, inflateOptions, (err, inflated) => (err ? reject(err) : resolve(inflated)));
      }).then((inflated) => codec.decode(inflated, inner));
    },
  };
}
