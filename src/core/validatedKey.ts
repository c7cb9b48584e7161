/** memcached's limit on key length, in bytes. */
export const MAX_KEY_BYTES = 250;

// The key validated last, when it was printable ASCII, and its bytes: the adapter that writes the
// request of that key (the same call, a few frames down) copies them instead of reading the string
// again: copying bytes is cheaper than reading a string's characters, and a get would otherwise
// read its key three times (validated, measured, written).
const bytes = new Uint8Array(MAX_KEY_BYTES);
let last: string | undefined;

/**
 * Whether every character of `key` is printable ASCII (! to ~), so a byte a character; if so,
 * `key` is the key remembered from now on. At most `MAX_KEY_BYTES` characters.
 */
export function rememberPrintableAscii(key: string): boolean {
  // Forgotten first: a key that fails halfway has overwritten some of the remembered one's bytes.
  last = undefined;
  if (key.length > MAX_KEY_BYTES) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
    bytes[i] = c;
  }
  last = key;
  return true;
}

/** Whether `key` is the key remembered: a byte a character, `key.length` bytes. */
export function isRemembered(key: string): boolean {
  return key === last;
}

/** Copies the remembered key's bytes to `buf` at `at` (`isRemembered(key)` said yes); returns where they end. */
export function copyRemembered(buf: Uint8Array, at: number, key: string): number {
  const n = key.length;
  for (let i = 0; i < n; i++) buf[at + i] = bytes[i]!;
  return at + n;
}
