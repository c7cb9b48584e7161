import type { Outcome } from '../port/Outcome';
import type { Exchange, InPlaceResponse } from './memjsServer';
import { MORE, type ResponseReader } from './responseReaders';

/**
 * One request in flight on a memjs Server, and where its outcome goes: its reader makes the
 * answer of its responses (with the request's key, so a reader is a shared function, not a closure
 * per call), and it fails with the connection.
 */
export class BinaryExchange<T> implements Exchange {
  constructor(
    readonly opaque: number,
    readonly read: ResponseReader<T>,
    readonly key: string,
    /** What a connection failure becomes (MemjsPort's wording of memjs's errors). */
    readonly wrap: (err: unknown) => Error,
    readonly outcome: Outcome<T>,
    /** The parts' own opaques, for a pipelined request whose parts answer under them (setMulti). */
    readonly parts?: readonly number[],
  ) {}

  owns(opaque: number): boolean {
    const parts = this.parts;
    if (parts === undefined) return false;
    // The ids are consecutive but for a wrap past 2^32: found by offset, else searched.
    const i = (opaque - (parts[0] as number)) >>> 0;
    return (i < parts.length && parts[i] === opaque) || parts.includes(opaque);
  }

  respond(response: InPlaceResponse): boolean {
    let answer: T | typeof MORE;
    try {
      answer = this.read(response, this.key);
    } catch (err) {
      this.outcome.failed(err);
      return true;
    }
    if (answer === MORE) return false;
    this.outcome.succeeded(answer);
    return true;
  }

  fail(err: unknown): void {
    this.outcome.failed(this.wrap(err));
  }
}
