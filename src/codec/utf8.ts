// Fatal: bytes that are not UTF-8 are a decode error, as Python's strict `bytes.decode('utf8')` is,
// never a string quietly holding U+FFFD.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 text of `bytes`; throws a `TypeError` for bytes that are not UTF-8. */
export function strictUtf8(bytes: Uint8Array): string {
  return strict.decode(bytes);
}
