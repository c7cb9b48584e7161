import type { KeyBytes } from '../core/KeyBytes';

/**
 * Writes `text` as UTF-8 at `at`, byte by byte while it is ASCII, and returns where it ends. The
 * caller has made room: at most 3 bytes per UTF-16 unit. For the short texts of a request (a key,
 * a header), a loop of stores beats a native `Buffer#write`.
 */
export function writeUtf8(buf: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return at + i + buf.write(text.slice(i), at + i, 'utf8');
    buf[at + i] = c;
  }
  return at + text.length;
}

/**
 * Writes a key as `writeUtf8` does: from the bytes its validation kept (`kept`, handed down by the
 * call that validated it) when they are that key's.
 */
export function writeKey(buf: Buffer, at: number, key: string, kept?: KeyBytes): number {
  return kept?.holds(key) ? kept.copyTo(buf, at, key) : writeUtf8(buf, at, key);
}
