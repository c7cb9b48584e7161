import type { Settles } from '../core/promiseFor';
import type { ResponseReader } from './BinaryCommands';
import { MORE } from './BinaryCommands';
import type { Exchange, InPlaceResponse } from './memjsServer';

/**
 * One request in flight on a memjs Server, and the settling of its promise: its reader makes the
 * answer of its responses (with the request's key, so a reader is a shared function, not a closure
 * per call), and it fails with the connection.
 */
export class BinaryExchange<T> implements Exchange, Settles<T> {
  resolve: (value: T) => void = noop;
  reject: (err: unknown) => void = noop;
  constructor(
    readonly opaque: number,
    readonly read: ResponseReader<T>,
    readonly key: string,
    /** What a connection failure becomes (MemjsPort's wording of memjs's errors). */
    readonly wrap: (err: unknown) => Error,
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
      this.reject(err);
      return true;
    }
    if (answer === MORE) return false;
    this.resolve(answer);
    return true;
  }

  fail(err: unknown): void {
    this.reject(this.wrap(err));
  }
}

const noop = (): void => {};
