/** Pieces up to this size in all are joined into one buffer before writing. */
const JOIN_BELOW = 64 * 1024;

/** The pieces as one buffer, copied once, when they are small; undefined when they are not. */
export function joinPieces(pieces: readonly (string | Buffer)[]): Buffer | undefined {
  let bytes = 0;
  for (const piece of pieces) {
    bytes += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length;
    if (bytes >= JOIN_BELOW) return undefined;
  }
  const joined = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') at += joined.write(piece, at, 'utf8');
    else at += piece.copy(joined, at);
  }
  return joined;
}
