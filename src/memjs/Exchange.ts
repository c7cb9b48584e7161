import type { InPlaceResponse } from './InPlaceResponse';

/**
 * A request in flight: it reads the responses that carry its opaque (or one of its batch's), and
 * fails with the connection. One object per request, kept in write order (InFlight.ts).
 */
export interface Exchange {
  /** The opaque of its request (of the request that ends it, for a pipelined one). */
  readonly opaque: number;
  /** Whether `opaque` is one of its parts' (a pipelined request whose parts have their own). */
  owns(opaque: number): boolean;
  /** Reads one response; true once the request has all of its answers (then it is forgotten). */
  respond(response: InPlaceResponse): boolean;
  /** The connection failed (or was closed) before the request had its answers. */
  fail(err: unknown): void;
}
