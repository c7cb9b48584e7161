import { InvalidValueError, UnsupportedFlagsError } from '../core/errors';
import type { Encoded, SyncCodec } from './Codec';
import { strictUtf8 } from './utf8';

/**
 * Any JSON value in and out: `JSON.stringify` as UTF-8 with flags 0, `JSON.parse` back. `T` is only
 * a promise of the caller's (nothing checks the shape of what is read). A value JSON cannot hold
 * (`undefined`, a function, a BigInt, a cycle) rejects with `InvalidValueError` before any I/O;
 * bytes that are not JSON, or flags other than 0, answer `reason: 'decode'`.
 */
export function jsonCodec<T = unknown>(): SyncCodec<T> {
  return {
    encode(value: T): Encoded {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (err) {
        throw new InvalidValueError(`jsonCodec cannot encode this value: ${(err as Error).message}`, { cause: err });
      }
      if (text === undefined) throw new InvalidValueError(`jsonCodec cannot encode ${typeof value}`);
      return { value: Buffer.from(text, 'utf8'), flags: 0 };
    },
    decode(value: Buffer, flags: number): T {
      if (flags !== 0) throw new UnsupportedFlagsError(flags, 'jsonCodec reads values stored with flags 0');
      return JSON.parse(strictUtf8(value)) as T;
    },
  };
}
