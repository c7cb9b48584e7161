import { InvalidOptionError } from '../core/errors';

// Clients made in this process so far: the default name's number.
let unnamed = 0;

/**
 * The `name` option: a non-empty string, or by default `reconnecting-memcached-N`, N counting the
 * clients of this process without a name, so that two clients on one server never share a series
 * in the state gauge. Throws `InvalidOptionError` otherwise.
 */
export function resolveClientName(name: unknown): string {
  if (name === undefined) {
    unnamed += 1;
    return `reconnecting-memcached-${unnamed}`;
  }
  if (typeof name !== 'string' || name === '') throw new InvalidOptionError('name', name, 'a non-empty string');
  return name;
}
