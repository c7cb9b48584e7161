import type { ResponseReader } from './responseReaders';

/**
 * What the binary adapter offers a command's binary part (`src/commands/`): request ids, and one
 * exchange (a request written whole, its responses read by `read`) delivered as a promise.
 */
export interface BinaryWire {
  /** A request id (the header's opaque) that no request in flight on this connection has. */
  nextOpaque(): number;
  /**
   * Writes `request` (whose opaque is `opaque`, or one of `also`: parts of a pipelined request with
   * their own); resolves with what `read` makes of its responses.
   */
  exchange<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    also?: readonly number[],
  ): Promise<T>;
}
