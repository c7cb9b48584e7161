import { InvalidValueError } from '../core/errors';
import type { Encoded, SyncCodec } from './Codec';

// The `memcached` npm package 2.2.2, lib/memcached.js: FLAG_JSON = 1<<1, FLAG_BINARY = 1<<2,
// FLAG_NUMERIC = 1<<3; anything else (its strings use 0) reads as a string.
const FLAG_JSON = 1 << 1;
const FLAG_BINARY = 1 << 2;
const FLAG_NUMERIC = 1 << 3;

/**
 * Values exactly as the `memcached` npm package writes and reads them (lib/memcached.js
 * `privates.setters` and the `VALUE` parser, lib/utils.js `escapeValue`/`unescapeValue`), so both
 * can share keys during a migration:
 *
 * - a string: flags 0; a number: `String(n)`, FLAG_NUMERIC 8, read back with unary `+`; a Buffer:
 *   FLAG_BINARY 4, as the package does it: each byte as a latin1 character, then the text as UTF-8
 *   (so a byte >= 0x80 takes two bytes in memcached); anything else: `JSON.stringify`, FLAG_JSON 2.
 * - Every value's text has a backslash put before each CR and LF (`escapeValue`), and loses it again
 *   on the way back (`unescapeValue`); the text is UTF-8, decoded leniently as the package's socket
 *   does (`setEncoding('utf8')`).
 * - Flags other than 2, 4 and 8 read as a string, as in the package. Bit 8 is the package's number
 *   flag, so this codec cannot be wrapped in `compressed()` (which uses bit 8 too); neither does the
 *   package compress.
 * - `undefined`, a BigInt, a function or a cycle reject with `InvalidValueError` (the package throws).
 */
export function memcachedPackageCodec(): SyncCodec<unknown> {
  return {
    flagBits: FLAG_JSON | FLAG_BINARY | FLAG_NUMERIC,
    encode(value: unknown): Encoded {
      if (Buffer.isBuffer(value)) return text(value.toString('latin1'), FLAG_BINARY);
      if (typeof value === 'number') return text(value.toString(), FLAG_NUMERIC);
      if (typeof value === 'string') return text(value, 0);
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch (err) {
        throw new InvalidValueError(`memcachedPackageCodec cannot encode this value: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (json === undefined) throw new InvalidValueError(`memcachedPackageCodec cannot encode ${typeof value}`);
      return text(json, FLAG_JSON);
    },
    decode(value: Buffer, flags: number): unknown {
      const data = value.toString('utf8').replace(/\\(\r|\n)/g, '$1');
      switch (flags) {
        case FLAG_JSON:
          return JSON.parse(data);
        case FLAG_NUMERIC:
          return +data;
        case FLAG_BINARY:
          return Buffer.from(data, 'latin1');
        default:
          return data;
      }
    },
  };
}

function text(data: string, flags: number): Encoded {
  return { value: Buffer.from(data.replace(/(\r|\n)/g, '\\$1'), 'utf8'), flags };
}
