import crypto from 'node:crypto';

/**
 * MD5 of a string's UTF-8 bytes, as hex. `crypto.hash` (Node 20.12+) skips the Hash object that
 * `createHash` builds per call, and a hex string is cheaper to get than a Buffer: ketama hashes every
 * key of a multi-server call.
 */
const md5Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('md5', text, 'hex')
    : (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

/** The 16-byte MD5 digest of a string's UTF-8 bytes. */
export function md5(text: string): Buffer {
  return Buffer.from(md5Hex(text), 'hex');
}

/** The first 4 bytes of MD5(text) read as a little-endian unsigned 32-bit number (ketama's key hash). */
export function md5Word(text: string): number {
  const hex = md5Hex(text);
  return Number.parseInt(hex.slice(6, 8) + hex.slice(4, 6) + hex.slice(2, 4) + hex.slice(0, 2), 16);
}
