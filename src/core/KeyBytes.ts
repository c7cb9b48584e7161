/** memcached's limit on key length, in bytes. */
export const MAX_KEY_BYTES = 250;

/**
 * The bytes of a printable-ASCII key, kept by the validation that read it and handed to the
 * adapter that writes that key's request: copying bytes is cheaper than reading a string's
 * characters, and a get would otherwise read its key three times (validated, measured, written).
 * One per client, reused by every call: it holds the key its client validated last.
 */
export class KeyBytes {
  readonly #bytes = new Uint8Array(MAX_KEY_BYTES);
  #key: string | undefined;

  /**
   * Whether every character of `key` is printable ASCII (! to ~), so a byte a character; if so,
   * its bytes are the ones held from now on. At most `MAX_KEY_BYTES` characters.
   */
  keep(key: string): boolean {
    // Forgotten first: a key that fails halfway has overwritten some of the held one's bytes.
    this.#key = undefined;
    if (key.length > MAX_KEY_BYTES) return false;
    const bytes = this.#bytes;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c <= 0x20 || c >= 0x7f) return false;
      bytes[i] = c;
    }
    this.#key = key;
    return true;
  }

  /** Whether these are `key`'s bytes: a byte a character, `key.length` bytes. */
  holds(key: string): boolean {
    return key === this.#key;
  }

  /** Copies the held bytes to `buf` at `at` (`holds(key)` said yes); returns where they end. */
  copyTo(buf: Uint8Array, at: number, key: string): number {
    const bytes = this.#bytes;
    const n = key.length;
    for (let i = 0; i < n; i++) buf[at + i] = bytes[i]!;
    return at + n;
  }
}

/** Whether every character of `key` is printable ASCII (! to ~): `KeyBytes.keep` without keeping. */
export function isPrintableAscii(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}
