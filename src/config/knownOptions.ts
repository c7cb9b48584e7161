import { didYouMean } from '../core/closestName';
import { InvalidOptionError, VALUE_NOT_SHOWN } from '../core/errors';

/**
 * Rejects an option this client does not have: a misspelt one (`timeoutMS`) would otherwise be
 * ignored and the client run with the default. The error names the closest known option. The value
 * is not shown: a misspelt `password`-like option may hold a secret.
 */
export function rejectUnknownOptions(options: object, known: readonly string[]): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    throw new InvalidOptionError(name, VALUE_NOT_SHOWN, didYouMean(name, known));
  }
}
