/**
 * The bytes of a message that has not ended, kept as the chunks they came in and joined once when
 * it ends: joining each chunk onto what came before copies the whole message again per chunk,
 * quadratic in its length. `bound` is the most it may hold; `add` says when a piece passes it.
 */
export class PendingBytes {
  #pieces: Buffer[] = [];
  #bytes = 0;

  /** Bytes held so far. */
  get bytes(): number {
    return this.#bytes;
  }

  get holding(): boolean {
    return this.#pieces.length > 0;
  }

  /** Keeps `piece`; false when the bytes held would pass `bound` (nothing is kept then). */
  add(piece: Buffer, bound: number): boolean {
    if (this.#bytes + piece.length > bound) return false;
    this.#pieces.push(piece);
    this.#bytes += piece.length;
    return true;
  }

  /** What is held, then `last`, as one buffer (one copy); forgets what was held. */
  take(last?: Buffer): Buffer {
    const pieces = this.#pieces;
    if (last !== undefined) pieces.push(last);
    const bytes = this.#bytes + (last?.length ?? 0);
    this.#pieces = [];
    this.#bytes = 0;
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, bytes);
  }

  clear(): void {
    this.#pieces = [];
    this.#bytes = 0;
  }
}
