import { checkValueBytes } from '../connection/checkValueBytes';
import { malformed } from '../connection/malformed';
import { PendingBytes } from '../connection/PendingBytes';
import type { Deliver, ResponseReader, WireLimits } from '../connection/WireRequest';
import { HEADER_BYTES, uint16At, uint32At } from './binaryProtocol';
import { InPlaceResponse } from './InPlaceResponse';

const RESPONSE_MAGIC = 0x81;

/**
 * Cuts one socket's bytes into binary-protocol responses, read where they arrived: memjs copied
 * every chunk onto its leftover and re-sliced after each message. A message cut by a chunk's end
 * is kept as its chunks (the connection core's `PendingBytes`) and joined once, with only its own
 * bytes of the chunk that ends it; the rest of that chunk is read in place. Every header is checked
 * before its body is waited for: a header that is not a response's, or a value over
 * `maxValueBytes` (the core's `checkValueBytes`), throws the connection's error.
 */
export class BinaryReader implements ResponseReader {
  readonly #deliver: Deliver<InPlaceResponse>;
  readonly #limits: Pick<WireLimits, 'maxValueBytes'>;
  readonly #server: string;
  // The unfinished message, and its whole length once its header is in (0 before).
  readonly #pending = new PendingBytes();
  #length = 0;

  /** `deliver` answers false to stop reading (the socket was retired by what it did). */
  constructor(deliver: Deliver<InPlaceResponse>, limits: Pick<WireLimits, 'maxValueBytes'>, server: string) {
    this.#deliver = deliver;
    this.#limits = limits;
    this.#server = server;
  }

  /** Whether a partial response is held. */
  get holding(): boolean {
    return this.#pending.holding;
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    const pending = this.#pending;
    if (pending.holding) {
      if (this.#length === 0) {
        // The header is still cut: it is joined alone (at most 24 bytes) to learn the length.
        const short = HEADER_BYTES - pending.bytes;
        if (chunk.length < short) {
          pending.add(chunk, HEADER_BYTES);
          return;
        }
        const header = pending.take(chunk.subarray(0, short));
        pos = short;
        this.#length = this.#messageLength(header, 0);
        pending.add(header, this.#length);
      }
      const missing = this.#length - pending.bytes;
      if (chunk.length - pos < missing) {
        pending.add(pos === 0 ? chunk : chunk.subarray(pos), this.#length);
        return;
      }
      const message = pending.take(chunk.subarray(pos, pos + missing));
      pos += missing;
      this.#length = 0;
      if (!this.#emit(message, 0, message.length)) return;
    }
    const length = chunk.length;
    while (length - pos >= HEADER_BYTES) {
      const end = pos + this.#messageLength(chunk, pos);
      if (end > length) {
        this.#length = end - pos;
        break;
      }
      if (!this.#emit(chunk, pos, end)) return;
      pos = end;
    }
    if (pos < length) pending.add(chunk.subarray(pos), this.#length === 0 ? HEADER_BYTES : this.#length);
  }

  /**
   * The whole length of the message whose header is at `at`, once the header is known to be a
   * response's (its magic byte, a body at least its key and extras: else waiting would read the
   * next answers as this one's) with a value within `maxValueBytes`; else throws.
   */
  #messageLength(buf: Buffer, at: number): number {
    const body = uint32At(buf, at + 8);
    const valueBytes = body - uint16At(buf, at + 2) - buf[at + 4]!;
    if (buf[at] !== RESPONSE_MAGIC) {
      const magic = buf[at]!.toString(16);
      throw malformed(
        this.#server,
        `a response that is not memcached's binary protocol (magic byte 0x${magic}, expected 0x81)`,
      );
    }
    if (valueBytes < 0) throw malformed(this.#server, 'a response whose body is shorter than its key and extras');
    checkValueBytes(valueBytes, this.#limits, this.#server);
    return HEADER_BYTES + body;
  }

  #emit(buf: Buffer, at: number, end: number): boolean {
    const extrasAt = at + HEADER_BYTES;
    const keyAt = extrasAt + buf[at + 4]!;
    const response = new InPlaceResponse(
      buf[at + 1]!,
      uint16At(buf, at + 6),
      end - extrasAt,
      uint32At(buf, at + 12),
      buf,
      extrasAt,
      keyAt,
      keyAt + uint16At(buf, at + 2),
      end,
    );
    return this.#deliver(response);
  }
}
