import zlib from 'node:zlib';
import { InvalidOptionError, InvalidValueError } from '../core/errors';
import { type Codec, type Encoded, isPromiseLike } from './Codec';
import { InflateBudget } from './InflateBudget';

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

// The process holds more than the bytes counted: stopped reads' chunks stay until the collector
// runs, which V8 does for memory outside its heap only after tens of MiB more. 32 MiB keeps a burst
// of bombs well within what a process can spare.
const DEFAULT_MAX_DECOMPRESSED = 32 * 1024 * 1024;
// A small value is inflated on the event loop only while its output stays this small, so the loop
// is never held long; a larger output is inflated again on the thread pool, within the budget.
const SYNC_INFLATE_MAX_BYTES = 1024 * 1024;

export interface CompressedOptions {
  /** Values of more than this many bytes (after the inner codec) are compressed, smaller ones stored as they are. */
  readonly above: number;
  /** zlib's level, 0-9. @default 6 (zlib's default, as pylibmc and Python's `zlib.compress`) */
  readonly level?: number;
  /**
   * A compressed value that inflates past this many bytes answers `reason: 'decode'` instead of
   * filling memory (corrupt bytes, or a value from another writer). @default 33554432 (32 MiB)
   */
  readonly maxDecompressedBytes?: number;
  /**
   * The bytes all of this codec's reads may inflate at once: past it, every inflation in progress
   * holding at least its share answers `reason: 'decode'`, so concurrent reads of a decompression
   * bomb cannot fill memory. @default 33554432 (32 MiB)
   */
  readonly maxConcurrentDecompressedBytes?: number;
}

/**
 * Wraps `codec`: a value whose encoding is longer than `above` bytes is stored zlib-compressed (the
 * zlib format with its header, `deflateInit`'s, which pylibmc and pymemcache's CompressedSerde
 * write) with flag bit 8 added, unless compressing did not make it smaller; reading inflates any
 * value carrying the bit and hands the inner codec the bytes and the flags without it. Values above
 * 16 KiB go through zlib's async API, so compression never holds the event loop for long; an
 * inflation on the thread pool stops when the read's `signal` aborts (its deadline passed).
 */
export function compressed<V, In>(codec: Codec<V, In>, options: CompressedOptions): Codec<V, In> {
  const { above, level = zlib.constants.Z_DEFAULT_COMPRESSION } = options ?? ({} as CompressedOptions);
  const maxOutputLength = options?.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  const maxConcurrent = options?.maxConcurrentDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  if (!Number.isInteger(above) || above < 0)
    throw new InvalidOptionError('above', above, 'a whole number of bytes >= 0');
  if (level !== zlib.constants.Z_DEFAULT_COMPRESSION && !(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new InvalidOptionError('level', level, 'a whole number in 0..9');
  }
  if (!Number.isInteger(maxOutputLength) || maxOutputLength < 1) {
    throw new InvalidOptionError('maxDecompressedBytes', maxOutputLength, 'a whole number of bytes >= 1');
  }
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new InvalidOptionError('maxConcurrentDecompressedBytes', maxConcurrent, 'a whole number of bytes >= 1');
  }
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new InvalidOptionError('codec', codec, 'a codec with encode and decode');
  }
  if (((codec.flagBits ?? 0) & COMPRESSED_FLAG) !== 0) {
    throw new InvalidOptionError('codec', codec, 'a codec that leaves flag bit 8 (0x8) free for compression');
  }
  const deflateOptions = { level };
  // A small value whose output passes the sync limit goes to the thread pool, unless that limit is the cap.
  const inflateOptions = { maxOutputLength: Math.min(maxOutputLength, SYNC_INFLATE_MAX_BYTES) };
  const orLater = inflateOptions.maxOutputLength < maxOutputLength;
  const budget = new InflateBudget(maxOutputLength, maxConcurrent);

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
    decode(value: Buffer, flags: number, signal?: AbortSignal): V | Promise<V> {
      if ((flags & COMPRESSED_FLAG) === 0) return codec.decode(value, flags, signal);
      const inner = (flags & ~COMPRESSED_FLAG) >>> 0;
      const small = value.length <= ASYNC_ABOVE_BYTES ? inflateSmall(value, inflateOptions, orLater) : undefined;
      if (small !== undefined) return codec.decode(small, inner, signal);
      return budget.inflate(value, signal).then((inflated) => codec.decode(inflated, inner, signal));
    },
  };
}

/**
 * `value` inflated on the event loop; when its output would pass `maxOutputLength`, undefined if
 * `orLater` (the thread pool takes it), else the `RangeError`.
 */
function inflateSmall(value: Buffer, options: { maxOutputLength: number }, orLater: boolean): Buffer | undefined {
  try {
    return zlib.inflateSync(value, options);
  } catch (err) {
    if (orLater && (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw err;
  }
}
