// Marks the errors of every copy of this package (Symbol.for is shared across copies and realms),
// so an application that loads two copies (a dependency bundles its own) still recognises them.
const BRAND = Symbol.for('reconnecting-memcached.error');

/**
 * Whether `err` is an error of this library, from any loaded copy of it; with `code`, one with
 * that stable code (`ERR_TIMEOUT`, ...). `instanceof` works across copies too (see below); this
 * also covers `InvalidOptionError`, which is a `TypeError`.
 */
export function isReconnectingMemcachedError(err: unknown, code?: string): err is Error & { readonly code: string } {
  if (typeof err !== 'object' || err === null || (err as { [BRAND]?: unknown })[BRAND] !== true) return false;
  return code === undefined || (err as { code?: unknown }).code === code;
}

/**
 * `instanceof` for the library's error classes that also holds for an error made by another copy of
 * the package: a branded error whose prototype chain has a class of the same name.
 */
function isInstance(cls: abstract new (...args: never[]) => unknown, value: unknown): boolean {
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
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
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

/** Bad input from the caller. Thrown before anything reaches the socket; never counts toward healing. */
export class InvalidInputError extends ReconnectingMemcachedError {}

/** A key that memcached would reject or misread: not a string, empty, over 250 bytes, or with whitespace or control characters. */
export class InvalidKeyError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_KEY', message);
  }
}

/** `set` was given something other than an item object (null and undefined are a no-op). */
export class InvalidItemError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_ITEM', message);
  }
}

/** A value that is neither a Buffer nor a string. */
export class InvalidValueError extends InvalidInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_VALUE', message, options);
  }
}

/** An expiration that is not a whole number of seconds in [0, 2^32), or past what the protocol carries (meta: 2^31 - 1). */
export class InvalidExpirationError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_EXPIRATION', message);
  }
}

/** Flags that are not a whole number in [0, 2^32). */
export class InvalidFlagsError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_FLAGS', message);
  }
}

/** A mode `FaultProxy.setMode` (in `reconnecting-memcached/testing`) does not know, or one with a bad field. */
export class InvalidFaultModeError extends InvalidInputError {
  constructor(message: string) {
    super('ERR_INVALID_FAULT_MODE', message);
  }
}

/** An invalid option passed to `createClient`. A `TypeError`, as for any bad argument. */
export class InvalidOptionError extends TypeError {
  readonly code = 'ERR_INVALID_OPTION';
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

/** The connection is being healed: calls answer not-ok without I/O. */
export class ConnectionDownError extends ReconnectingMemcachedError {
  /** The server (`host:port`) whose connection is down, when known. */
  readonly server: string | undefined;
  constructor(server?: string) {
    const which = server === undefined ? '' : ` to ${server}`;
    super('ERR_CONNECTION_DOWN', `memcached connection${which} is down; reconnecting in the background`);
    this.server = server;
  }
}

/**
 * `ping()` of a client with several servers, when some did not answer. With one server, `ping()`
 * rejects with that server's own error instead.
 */
export class PingError extends ReconnectingMemcachedError {
  /**
   * Each server (`host:port`) that failed, in server-list order, with its error: a
   * `ConnectionDownError`, `TimeoutError`, `ConnectionError` or `ServerError`.
   */
  readonly failures: ReadonlyMap<string, ReconnectingMemcachedError>;
  constructor(failures: ReadonlyMap<string, ReconnectingMemcachedError>, servers: number) {
    const list = [...failures].map(([server, err]) => `${server} (${err.code})`).join(', ');
    super('ERR_PING', `memcached ping failed on ${failures.size} of ${servers} servers: ${list}`, {
      cause: failures.values().next().value,
    });
    this.failures = failures;
  }
}

/** `close()` was called. */
export class ClientClosedError extends ReconnectingMemcachedError {
  constructor() {
    super('ERR_CLIENT_CLOSED', 'the client is closed');
  }
}

/** A call did not settle within `timeoutMs`. */
export class TimeoutError extends ReconnectingMemcachedError {
  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super('ERR_TIMEOUT', `memcached did not answer within ${timeoutMs} ms`, options);
  }
}

/** The socket failed: refused, reset, unreachable, timed out inside memjs, no server, authentication failed. */
export class ConnectionError extends ReconnectingMemcachedError {
  constructor(cause: unknown, code = 'ERR_CONNECTION') {
    super(code, `memcached connection failed: ${messageOf(cause)}`, { cause });
  }
}

/**
 * The server was given credentials but does not check them (over meta: memcached started without an
 * auth file, `-Y`, which would store them as an item any client can read). They were not sent, and
 * the server is not used: a connection failure, counted like a wrong password.
 */
export class CredentialsNotRequiredError extends ConnectionError {
  /** The server (`host:port`, or a UNIX socket's path). */
  readonly server: string;
  constructor(server: string) {
    super(
      new Error(
        `${server} does not require authentication (memcached without -Y); the credentials were not sent: remove them from servers, or start memcached with -Y`,
      ),
      'ERR_CREDENTIALS_NOT_REQUIRED',
    );
    this.server = server;
  }
}

/** memcached answered with an error status (value too large, not stored, ...). Does not count toward healing. */
export class ServerError extends ReconnectingMemcachedError {
  constructor(cause: unknown) {
    super('ERR_SERVER', `memcached refused the request: ${messageOf(cause)}`, { cause });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

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

/** `startInspector` needs the optional peer dependencies `@statelyai/inspect` and `ws`, and one of them is missing. */
export class InspectorUnavailableError extends ReconnectingMemcachedError {
  constructor(cause: unknown) {
    super(
      'ERR_INSPECTOR_UNAVAILABLE',
      `the inspector needs the optional peer dependencies @statelyai/inspect and ws (npm install -D @statelyai/inspect ws): ${messageOf(cause)}`,
      { cause },
    );
  }
}
