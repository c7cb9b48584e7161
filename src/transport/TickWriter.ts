import type { Socket } from 'node:net';
import { writePieces } from './joinPieces';
import type { LateText } from './LateText';
import { waitsForTurn } from './waitsForTurn';
import { writeInPlace } from './writeInPlace';

/** The buffer requests built in place go into; a request that does not fit in what is left gets a new one. */
export const SLAB_BYTES = 64 * 1024;
const NO_SLAB = Buffer.alloc(0);
/**
 * A body (a store's value) up to this size is copied into the writer's buffer with its request, by
 * `write` and by the adapters that build requests in place. A larger body is held as it is:
 * copied, it would only use up the buffer. (Held as pieces, each small store cost two array
 * entries, a byte count and a native write at the flush.)
 */
export const IN_PLACE_BODY_BYTES = 4096;
/**
 * A busy tick whose server has nothing else of this socket's to answer writes what it holds once
 * it holds this many requests (see `awaiting`): 8 suited 32 callers best, 24 suited 64.
 */
export const EARLY_REQUESTS = 16;

export interface TickWriterSettings {
  /** False holds every request until `ready()` (a socket connecting, a TLS handshake). @default true */
  readonly ready?: boolean;
  /**
   * How many of the socket's requests wait for their answers, those held here included (the
   * connection's queue). Given, a busy tick may start an idle server early (the class comment).
   */
  readonly awaiting?: () => number;
}

/**
 * Writes one socket's requests a tick at a time, for both adapters. A socket.write() per request
 * is a syscall per call (over half of the process's CPU time at 64 callers, in a profile of the
 * memjs adapter), so the requests of a busy tick wait here and leave in one write at its end:
 * joined into one buffer when small (one chunk for the socket's queue and one copy, instead of a
 * writev of one chunk per request), corked into one writev when large. The wait is no longer than
 * the current run of JavaScript, or over TLS the event loop's turn (`waitsForTurn`).
 *
 * A lone request is written at once: waiting for the end of the tick cost a lone caller about 8%
 * of its rate. Once a tick makes more than one request, the rest of it waits, and while ticks keep
 * making several, the next tick's wait from the first one on. Text pieces are joined as strings.
 *
 * A request can also be built in place (`reserve`, then `commit`): in the tick's buffer, so that a
 * tick's requests are one run of bytes, written without a Buffer per request or the copy that
 * joins them (binary get at 64 callers: the two were about 5% of the process's CPU time). Bytes
 * once committed are never written over: a socket may still hold them.
 *
 * A busy tick need not wait for its end, though, when the server is idle: the tick's first
 * responses answered everything written, and its server waits for requests while the tick goes
 * on. Then, with `awaiting`, the tick's first EARLY_REQUESTS requests leave at once and the rest
 * at its end, so the server works on the first ones while the process makes the others. Only
 * then: with many callers the process, not the server, is the busy side, and an early write there
 * would only split the tick's batch.
 *
 * Made `ready: false`, it holds everything until `ready()`: written into a TLS socket still
 * handshaking, requests met a server's refusal of the client certificate as a bare ECONNRESET.
 */
export class TickWriter {
  readonly #socket: Socket;
  readonly #awaiting: (() => number) | undefined;
  #ready: boolean;
  readonly #turns: boolean;
  #turnPending = false;
  #dropped = false;
  // How many requests this tick made, and whether the last tick made several.
  #writes = 0;
  #busy = false;
  // Requests held since the last write.
  #heldRequests = 0;
  // What waits: text is joined as it comes; a Buffer ends the text before it.
  #text = '';
  #out: (string | Buffer)[] = [];
  // Requests built in place: `#slab` up to `#used` is theirs, and from `#held` on still waits.
  #slab = NO_SLAB;
  #used = 0;
  #held = 0;
  // A request whose text is made when it leaves (`writeLate`): it holds its place among the others.
  #late: LateText | undefined = undefined;

  constructor(socket: Socket, settings: TickWriterSettings = {}) {
    this.#socket = socket;
    this.#ready = settings.ready ?? true;
    this.#awaiting = settings.awaiting;
    this.#turns = settings.awaiting !== undefined && waitsForTurn(socket);
  }

  /** Writes one request: `head`, then `body` and `tail` when given (a store's value and its end). */
  write(head: string | Buffer, body?: Buffer, tail?: string): void {
    if (this.#dropped) return;
    this.#lateNow();
    if (body !== undefined && typeof head === 'string' && body.length <= IN_PLACE_BODY_BYTES) {
      writeInPlace(this, head, body, tail ?? '');
      return;
    }
    if (this.#alone()) {
      if (body === undefined) this.#socket.write(head);
      else writePieces(this.#socket, tail === undefined ? [head, body] : [head, body, tail]);
      return;
    }
    this.#hold(head);
    if (body !== undefined) this.#hold(body);
    if (tail !== undefined) this.#hold(tail);
    this.#heldOne();
  }

  /** The buffer `reserve` makes room in. */
  get slab(): Buffer {
    return this.#slab;
  }

  /**
   * Room for a request of `bytes` in `slab`, from the offset returned: build it there, then
   * `commit(bytes)` before anything else is written.
   */
  reserve(bytes: number): number {
    this.#lateNow();
    if (this.#slab.length - this.#used < bytes) {
      this.#holdSlab();
      this.#slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
      this.#used = 0;
      this.#held = 0;
    }
    return this.#used;
  }

  /** Writes the request of `bytes` just built at the offset `reserve` gave. */
  commit(bytes: number): void {
    const at = this.#used;
    this.#used += bytes;
    if (this.#dropped) {
      this.#held = this.#used;
      return;
    }
    if (this.#alone()) {
      this.#held = this.#used;
      this.#socket.write(this.#slab.subarray(at, this.#used));
      return;
    }
    // Held text leaves before it. What the slab holds from `#held` on becomes one piece when
    // anything else is held, or at the flush (holding text takes the slab's first, so here
    // `#held` is `at`).
    if (this.#text !== '') {
      this.#out.push(this.#text);
      this.#text = '';
    }
    this.#heldOne();
  }

  /** `write`, for a request made when it leaves: at the flush, or before the next one (LateText). */
  writeLate(late: LateText): void {
    if (this.#dropped) return;
    this.#lateNow();
    if (this.#alone() && this.#turns) this.#socket.write(late.text());
    else {
      this.#late = late;
      this.#heldOne();
    }
  }

  // The late request's text takes its place, before anything written after it.
  #lateNow(): void {
    if (this.#late === undefined) return;
    this.#hold(this.#late.text());
    this.#late = undefined;
  }

  // A request was held: written now if the server has nothing else left to answer.
  #heldOne(): void {
    const held = ++this.#heldRequests;
    if (held >= EARLY_REQUESTS && this.#awaiting !== undefined && this.#awaiting() <= held) this.#flush();
  }

  /** The socket is ready (connected; for TLS, the handshake done): what was held leaves now. */
  ready(): void {
    this.#ready = true;
    this.#flush();
  }

  /** The socket failed or was closed: what waits is dropped (its requests failed with it). */
  drop(): void {
    this.#dropped = true;
    this.#late = undefined;
    this.#text = '';
    this.#out = [];
    this.#held = this.#used;
  }

  // Counts a request toward this tick (a ready socket's only), and says whether it is written at
  // once: the first of a tick after a quiet one (see the class comment).
  #alone(): boolean {
    if (!this.#ready) return false;
    if (this.#turns) return this.#aloneInTurn();
    if (this.#writes++ !== 0) return false;
    process.nextTick(this.#endOfTick);
    return !this.#busy;
  }

  // Over TLS: at once when no other request awaits an answer, else held to the end of the turn.
  #aloneInTurn(): boolean {
    if (this.#turnPending) return false;
    if (this.#awaiting!() <= 1) return true;
    this.#turnPending = true;
    setImmediate(this.#endOfTurn);
    return false;
  }

  #hold(piece: string | Buffer): void {
    this.#holdSlab();
    if (typeof piece === 'string') this.#text += piece;
    else {
      if (this.#text !== '') this.#out.push(this.#text);
      this.#text = '';
      this.#out.push(piece);
    }
  }

  readonly #endOfTick = (): void => {
    this.#busy = this.#writes > 1;
    this.#writes = 0;
    this.#flush();
  };

  readonly #endOfTurn = (): void => {
    this.#turnPending = false;
    this.#flush();
  };

  #flush(): void {
    // Failed meanwhile (memjs ends or destroys a socket it retires): its requests failed with it.
    if (this.#dropped || !this.#ready || !this.#socket.writable) return;
    this.#heldRequests = 0;
    this.#lateNow();
    this.#holdSlab();
    const out = this.#out;
    if (this.#text !== '') out.push(this.#text);
    this.#text = '';
    this.#out = [];
    if (out.length === 1) this.#socket.write(out[0] as string | Buffer);
    else if (out.length > 1) writePieces(this.#socket, out);
  }

  /** What the slab holds that waits becomes a piece of its own, after the text before it. */
  #holdSlab(): void {
    if (this.#held === this.#used) return;
    this.#out.push(this.#slab.subarray(this.#held, this.#used));
    this.#held = this.#used;
  }
}
