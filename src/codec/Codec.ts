/** What a codec makes of a value: the bytes memcached stores and the 32 flag bits stored with them. */
export interface Encoded {
  readonly value: Buffer;
  /** A whole number in [0, 2^32). */
  readonly flags: number;
}

/**
 * How values become bytes plus flags and back (the `codec` option; docs/values.md). `V` is what
 * `get` answers, `In` what `set` takes (the same unless the codec accepts more than it returns, as
 * the raw codec takes strings and answers Buffers). Either method may answer a promise.
 *
 * A codec that throws from `encode` makes the call reject with an `InvalidValueError` before any
 * I/O; one that throws from `decode` makes the read answer `{ ok: false, reason: 'decode' }` with a
 * `DecodeError` whose `cause` is what it threw. Neither counts as an outage.
 *
 * A read answers by the call's deadline even while an async `decode` runs: then it answers
 * `reason: 'decode'`, and `signal` (handed only to a `decode` that declares the parameter) aborts,
 * so the work can stop.
 */
export interface Codec<V, In = V> {
  encode(value: In): Encoded | Promise<Encoded>;
  decode(value: Buffer, flags: number, signal?: AbortSignal): V | Promise<V>;
  /**
   * The flag bits this codec sets or reads, when it uses some: `compressed()` refuses a codec whose
   * bits include the compression bit. @default 0
   */
  readonly flagBits?: number;
}

/** A codec that never answers a promise, as every codec of this package but `compressed()`. */
export interface SyncCodec<V, In = V> extends Codec<V, In> {
  encode(value: In): Encoded;
  decode(value: Buffer, flags: number): V;
}

/**
 * What writes take when only the read type `V` is named: `Client<User>` writes Users, while the
 * raw `Client` (`V` = Buffer) also takes strings.
 */
export type DefaultInput<V> = [V] extends [Buffer] ? Buffer | string : V;

/** The value type `get` answers with codec `C`. */
export type DecodedValue<C> = C extends Codec<infer V, infer _In> ? V : never;
/** The value type `set` takes with codec `C`. */
export type EncodableValue<C> = C extends Codec<infer _V, infer In> ? In : never;

/** True for a thenable, the only thing a sync-or-async codec method can answer besides a value. */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
