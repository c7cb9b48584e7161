import { InvalidValueError, UnsupportedFlagsError } from '../core/errors';
import type { Encoded, SyncCodec } from './Codec';
import { strictUtf8 } from './utf8';

// pymemcache's serde.py (FLAG_* constants); pylibmc's _pylibmcmodule.c uses the same bits
// (PYLIBMC_FLAG_PICKLE, _INTEGER, _LONG, _TEXT; bit 8 is compression in both, see compressed()).
const FLAG_PICKLE = 1 << 0;
const FLAG_INTEGER = 1 << 1;
const FLAG_LONG = 1 << 2;
const FLAG_TEXT = 1 << 4;
const KNOWN = FLAG_PICKLE | FLAG_INTEGER | FLAG_LONG | FLAG_TEXT;

/** What Python's memcached clients store without pickling: bytes, text and integers. */
export type PythonValue = Buffer | string | number | bigint;

// Python's int() accepts surrounding whitespace; memcached pads a decremented number with spaces.
const INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * Values as pymemcache's default serde writes them (and pylibmc, which uses the same bits):
 * Buffer <-> bytes (flags 0), string <-> str (UTF-8, FLAG_TEXT 16), integer <-> int (decimal
 * text, FLAG_INTEGER 2; FLAG_LONG 4 is read too, as pylibmc writes ints with it).
 *
 * - Integers read back as a number when they fit a safe integer, else as a bigint; a number that is
 *   not an integer rejects with `InvalidValueError` (Python would pickle a float).
 * - A pickled value (FLAG_PICKLE 1), or flags with any other bit, answers `reason: 'decode'` with
 *   an `UnsupportedFlagsError` as the cause: pickle is never read (unpickling runs code of the
 *   writer's choosing). pymemcache hands back raw bytes for bits it does not know; this codec
 *   refuses them, as pylibmc does ("unknown memcached key flags").
 * - Compression is `compressed(pymemcacheCodec(), { above })`, bit 8, as pymemcache's
 *   CompressedSerde and pylibmc's `min_compress_len` write it.
 */
export function pymemcacheCodec(): SyncCodec<PythonValue> {
  return {
    flagBits: KNOWN,
    encode(value: PythonValue): Encoded {
      if (Buffer.isBuffer(value)) return { value, flags: 0 };
      if (typeof value === 'string') return { value: Buffer.from(value, 'utf8'), flags: FLAG_TEXT };
      if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) {
        return { value: Buffer.from(value.toString(), 'latin1'), flags: FLAG_INTEGER };
      }
      throw new InvalidValueError(
        `pymemcacheCodec stores a Buffer, a string or an integer, got ${typeof value === 'number' ? value : typeof value}`,
      );
    },
    decode(value: Buffer, flags: number): PythonValue {
      if (flags === 0) return value;
      if ((flags & ~KNOWN) !== 0) throw new UnsupportedFlagsError(flags, 'bits pymemcache and pylibmc do not set');
      // The order of pymemcache's python_memcache_deserializer: text, then integers, then pickle.
      if (flags & FLAG_TEXT) return strictUtf8(value);
      if (flags & (FLAG_INTEGER | FLAG_LONG)) return integer(value);
      throw new UnsupportedFlagsError(flags, 'a pickled Python object, which this client never unpickles');
    },
  };
}

function integer(bytes: Buffer): number | bigint {
  const text = bytes.toString('latin1');
  if (!INTEGER.test(text)) throw new TypeError(`not a decimal integer: ${JSON.stringify(text.slice(0, 40))}`);
  const big = BigInt(text.trim());
  const small = Number(big);
  return Number.isSafeInteger(small) ? small : big;
}
