/** Passed as the value of an error whose value may be a secret (an unknown option's). */
export const VALUE_NOT_SHOWN: unique symbol = Symbol('value not shown');

/**
 * A short, safe description of a bad argument for an error message. Never calls the value's own
 * toString: an object without a prototype, or one whose toString throws, must still get a typed
 * error (found by fuzzing: `String(Object.create(null))` throws a TypeError).
 */
export function describeValue(value: unknown): string {
  if (value === VALUE_NOT_SHOWN) return '(value not shown)';
  if (typeof value === 'string')
    return value.length > 64 ? `${JSON.stringify(value.slice(0, 64))}...` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value == null) {
    return String(value);
  }
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
