import { NO_ID } from '../connection/WireRequest';
import type { MetaRequest } from './MetaConnection';
import type { MetaResponse } from './MetaResponse';
import { isError, refusal } from './metaRequests';

/** Several answer lines up to an end line (stats: STAT lines, then END). */
export class Lines implements MetaRequest {
  readonly span = 0;
  id = NO_ID;
  readonly #lines: string[] = [];
  constructor(
    readonly resolve: (lines: string[]) => void,
    readonly reject: (err: unknown) => void,
  ) {}

  handle(response: MetaResponse): boolean {
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
