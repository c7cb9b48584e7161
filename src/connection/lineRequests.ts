import { ConnectionError, ServerError } from '../core/errors';
import type { Outcome } from '../port/Outcome';
import { code, type LineResponse } from './LineResponse';
import { NO_ID, type WireRequest } from './WireRequest';

// What memcached's two line protocols (classic text and meta) share: the error lines, the classic
// commands both send (version, flush_all, stats), and the requests of one answer or of many lines.

const ER = code('ER'); // ERROR
const CL = code('CL'); // CLIENT_ERROR
const SE = code('SE'); // SERVER_ERROR

/** Whether the line is one of memcached's error lines (ERROR, CLIENT_ERROR, SERVER_ERROR). */
export function isError(response: LineResponse): boolean {
  const status = response.code;
  return status === ER || status === CL || status === SE;
}

/**
 * The error for an answer a command does not expect: an error line is memcached's refusal (a
 * `ServerError`, the caller's); any other line is not an answer to this request at all, and fails
 * the connection.
 */
export function refusal(command: string, response: LineResponse): Error {
  if (isError(response)) return new ServerError(new Error(`${command}: ${response.line}`));
  return response.malformed(`an answer ${command} cannot take`);
}

/**
 * What a protocol may do with an answer before its value is delivered: take over the delivery and
 * answer true (meta: a plain read that won a stale item's refresh gives it back first), or answer
 * false to let the value go at once.
 */
export type BeforeDelivery<A extends LineResponse> = <T>(
  response: A,
  key: string,
  outcome: Outcome<T>,
  value: T,
) => boolean;

/**
 * A request with one answer line, read by `read` (which throws a `ServerError` for a refusal, a
 * `ConnectionError` for an answer that is not this request's). `span` 1: a request whose answer
 * carries its id (meta's opaque); 0: one whose answer carries none (the classic commands). One
 * class, not a protocol's subclass: a derived class is slower to construct, and every get makes one.
 */
export class OneAnswer<T, A extends LineResponse = LineResponse> implements WireRequest<A> {
  id = NO_ID;
  constructor(
    readonly key: string,
    readonly read: (response: A, key: string) => T,
    readonly outcome: Outcome<T>,
    readonly span: 0 | 1 = 1,
    readonly before?: BeforeDelivery<A>,
  ) {}

  handle(response: A): boolean {
    let value: T;
    try {
      value = this.read(response, this.key);
    } catch (err) {
      if (err instanceof ConnectionError) throw err;
      this.outcome.failed(err);
      return true;
    }
    const before = this.before;
    if (before === undefined || !before(response, this.key, this.outcome, value)) this.outcome.succeeded(value);
    return true;
  }

  fail(err: Error): void {
    this.outcome.failed(err);
  }
}

/** `flush_all`: OK. */
export function readOk(response: LineResponse): void {
  if (response.line !== 'OK') throw refusal('flush_all', response);
}

/** `version`: the version string. */
export function readVersion(response: LineResponse): string {
  const line = response.line;
  if (!line.startsWith('VERSION ')) throw refusal('version', response);
  return line.slice('VERSION '.length);
}

/** Several answer lines up to an end line (stats: STAT lines, then END). */
export class Lines implements WireRequest<LineResponse> {
  readonly span = 0;
  id = NO_ID;
  readonly #lines: string[] = [];
  constructor(
    readonly resolve: (lines: string[]) => void,
    readonly reject: (err: unknown) => void,
  ) {}

  handle(response: LineResponse): boolean {
    if (isError(response)) {
      this.reject(refusal('stats', response));
      return true;
    }
    const line = response.line;
    if (line === 'END') {
      this.resolve(this.#lines);
      return true;
    }
    if (!line.startsWith('STAT ')) throw response.malformed('an answer stats cannot take');
    this.#lines.push(line);
    return false;
  }

  fail(err: Error): void {
    this.reject(err);
  }
}

/** `stats`: its `STAT <name> <value>` lines until `END`, as a map. */
export function statsReader(resolve: (stats: Map<string, string>) => void, reject: (err: unknown) => void): Lines {
  return new Lines((lines) => {
    const stats = new Map<string, string>();
    for (const line of lines) {
      const [, name, ...value] = line.split(' ');
      if (name !== undefined) stats.set(name, value.join(' '));
    }
    resolve(stats);
  }, reject);
}
