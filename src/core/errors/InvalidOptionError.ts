import { describeValue } from './describeValue';
import { BRAND, isInstance } from './ReconnectingMemcachedError';

/** An invalid option passed to `createClient`. A `TypeError`, as for any bad argument. */
export class InvalidOptionError extends TypeError {
  readonly code = 'ERR_INVALID_OPTION' as const;
  /** The option's name, e.g. `timeoutMs`. */
  readonly option: string;
  constructor(option: string, value: unknown, expected: string) {
    super(`Invalid option ${option}: ${describeValue(value)}; expected ${expected}`);
    this.name = 'InvalidOptionError';
    this.option = option;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested (TimeoutError, ...).
    return isInstance(this, value);
  }
}
Object.defineProperty(InvalidOptionError.prototype, BRAND, { value: true });
