import { ConnectionError } from '../core/errors';

/**
 * The error of a connection whose server sent what the protocol does not allow, or an answer no
 * request it is paired with can take: a `ConnectionError`, so it counts toward healing.
 */
export function malformed(server: string, detail: string): ConnectionError {
  return new ConnectionError(new Error(`${server} sent ${detail}`));
}
