/** The identity of an answer that carries none (an error line, the end of a batch, a classic reply). */
export const NO_ID = -1;
/** The identity of an answer that should carry one and does not: a desync. */
export const MISSING_ID = -2;

/** What the connection core needs of a response: which request it says it answers. */
export interface WireAnswer {
  /**
   * The request id the answer carries (the meta protocol's opaque, the binary one's), NO_ID when
   * the answer has none by its kind, MISSING_ID when its kind should carry one.
   */
  readonly id: number;
  /** A short description of the answer for an error message (never a value's bytes). */
  describe(): string;
}

/**
 * A request in flight on a connection (Connection.ts). The core gives it the ids
 * `[id, id + span)` before its bytes are written (a batch: one per part), and hands it each answer
 * in order, after checking that the answer's id, if any, is one of them.
 */
export interface WireRequest<A extends WireAnswer> {
  /** How many ids its answers carry: 0 for a request whose answers carry none. */
  readonly span: number;
  /** Set by the connection: its first id (NO_ID when `span` is 0). */
  id: number;
  /**
   * Reads one answer; true once the request has all of its answers. Throws a `ConnectionError` for
   * an answer it cannot be paired with (the stream is out of step): the connection fails.
   */
  handle(answer: A): boolean;
  /** The connection failed (or was closed) before the request had its answers. */
  fail(err: Error): void;
}

/** Reads a connection's bytes into answers, which it hands to the connection in order. */
export interface ResponseReader {
  /** Reads a chunk; throws a `ConnectionError` for bytes that break the protocol or its limits. */
  feed(chunk: Buffer): void;
}

/** What a reader hands its answers to: false means stop reading (the connection was retired). */
export type Deliver<A extends WireAnswer> = (answer: A) => boolean;

/** The bounds every connection holds its server to. */
export interface WireLimits {
  /** A value announced longer than this fails the connection at once (ClientOptions.maxValueBytes). */
  readonly maxValueBytes: number;
  /** A line (a response header) longer than this fails the connection. */
  readonly maxLineBytes: number;
}
