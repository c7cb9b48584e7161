import { validateValue } from '../core/validation';
import type { Encoded, SyncCodec } from './Codec';

/**
 * The default: a Buffer or a string (stored as UTF-8) in, the stored bytes out as a Buffer. With it
 * the client sends an item's own `flags` and answers the stored flags, as it always has; inside
 * another codec (`compressed(rawCodec, ...)`) it sets flags 0 and reads any.
 */
export const rawCodec: SyncCodec<Buffer, Buffer | string> = Object.freeze({
  encode(value: Buffer | string): Encoded {
    validateValue(value);
    return { value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value, flags: 0 };
  },
  decode(value: Buffer): Buffer {
    return value;
  },
});
