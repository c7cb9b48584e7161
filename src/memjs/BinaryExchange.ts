import type { WireRequest } from '../connection/WireRequest';
import type { Outcome } from '../port/Outcome';
import type { InPlaceResponse } from './InPlaceResponse';
import { MORE, type ResponseReader } from './responseReaders';

/**
 * One request in flight on a memjs Server (the connection core's InFlight), and where its outcome
 * goes: its reader makes the answer of its responses (with the request's key, so a reader is a
 * shared function, not a closure per call), and it fails with the connection. Its ids are the
 * opaques it was written with: its own, or its parts' then its own (setMulti), consecutive but
 * for the wrap past 2^32.
 */
export class BinaryExchange<T> implements WireRequest<InPlaceResponse> {
  readonly span: number;
  id: number;

  constructor(
    /** The opaque of its request (of the request that ends it, for a pipelined one). */
    readonly opaque: number,
    readonly read: ResponseReader<T>,
    readonly key: string,
    /** What a connection failure becomes (MemjsPort's wording of memjs's errors). */
    readonly wrap: (err: unknown) => Error,
    readonly outcome: Outcome<T>,
    /** The parts' own opaques, for a pipelined request whose parts answer under them (setMulti). */
    readonly parts?: readonly number[],
  ) {
    const first = parts === undefined ? opaque : (parts[0] as number);
    this.id = first;
    this.span = ((opaque - first) >>> 0) + 1;
  }

  /** Whether `opaque` is one of its parts'. */
  owns(opaque: number): boolean {
    const parts = this.parts;
    if (parts === undefined) return false;
    // The ids are consecutive but for a wrap past 2^32: found by offset, else searched.
    const i = (opaque - (parts[0] as number)) >>> 0;
    return (i < parts.length && parts[i] === opaque) || parts.includes(opaque);
  }

  handle(response: InPlaceResponse): boolean {
    const opaque = response.opaque;
    // Its ids' range crosses the opaque no request is given (0) when a batch wraps: not its answer.
    if (this.parts !== undefined && opaque !== this.opaque && !this.owns(opaque)) {
      throw new Error(`an answer out of step (opaque ${opaque}; not one of its batch's)`);
    }
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

  fail(err: Error): void {
    this.outcome.failed(this.wrap(err));
  }
}
