import type { TimeoutError } from '../core/errors';
import type { CallDeadline } from './CallDeadline';
import { Deadline } from './Deadline';

/**
 * The deadline of work that follows several calls (decoding what a `getMulti` over several servers
 * answered): due when those calls were, its signal aborts when it passes before the work ends.
 */
export class WorkDeadline extends Deadline implements CallDeadline {
  #controller: AbortController | undefined = undefined;

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  expire(_lateness: unknown, error: TimeoutError): void {
    this.#controller?.abort(error);
  }
}
