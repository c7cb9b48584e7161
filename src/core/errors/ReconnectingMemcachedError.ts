import type { ErrorCode } from './ErrorCode';

// Marks the errors of every copy of this package (Symbol.for is shared across copies and realms),
// so an application that loads two copies (a dependency bundles its own) still recognises them.
export const BRAND = Symbol.for('reconnecting-memcached.error');

/**
 * Whether `err` is an error of this library, from any loaded copy of it; with `code`, one with
 * that stable code (`ERR_TIMEOUT`, ...). `instanceof` works across copies too (see below); this
 * also covers `InvalidOptionError`, which is a `TypeError`.
 */
export function isReconnectingMemcachedError<C extends ErrorCode = ErrorCode>(
  err: unknown,
  code?: C,
): err is Error & { readonly code: C } {
  if (typeof err !== 'object' || err === null || (err as { [BRAND]?: unknown })[BRAND] !== true) return false;
  return code === undefined || (err as { code?: unknown }).code === code;
}

/**
 * `instanceof` for the library's error classes that also holds for an error made by another copy of
 * the package: a branded error whose prototype chain has a class of the same name.
 */
export function isInstance(cls: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  if (!isReconnectingMemcachedError(value)) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === cls.name) return true;
  }
  return false;
}

/**
 * Every error this library creates is one of these classes, with a stable `code` to switch on and
 * the underlying error (if any) as `cause`. `instanceof` holds across two loaded copies of the
 * package, like undici's errors.
 */
export class ReconnectingMemcachedError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being tested (TimeoutError, ...).
    return isInstance(this, value);
  }
}
Object.defineProperty(ReconnectingMemcachedError.prototype, BRAND, { value: true });

/** The message of whatever was thrown, for an error that wraps it. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
