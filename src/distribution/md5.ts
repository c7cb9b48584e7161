import crypto from 'node:crypto';

/**
 * MD5 of a string's UTF-8 bytes. `crypto.hash` (Node 20.12+) skips the Hash object that
 * `createHash` builds per call; ketama runs this once per key on every multi-server call.
 */
export const md5: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('md5', text, 'buffer')
    : (text) => crypto.createHash('md5').update(text, 'utf8').digest();
