import type { GetsItem, Item } from '../api/Item';
import type { GetMultiResult, GetResult, GetsResult, NotOk } from '../api/results';
import { type Codec, type Encoded, isPromiseLike } from '../codec/Codec';
import { DecodeError, InvalidFlagsError, InvalidInputError, InvalidValueError } from '../core/errors';
import { validateFlags, validateValue } from '../core/validation';
import type { CallDeadline } from '../engine/CallDeadline';
import type { CasItem as WireCasItem } from '../port/MemcachedPort';

/** A value on its way in: the bytes and flags to store, or a promise of them (an async codec). */
export type EncodedValue = Encoded | Promise<Encoded>;

/**
 * The codec step of every value-carrying command, in one place: values go through `encode` on the
 * way in and items through `getResult`/`itemsResult` on the way out. Without a codec (the default
 * raw one) nothing is decoded and nothing allocated: the answers are memcached's items as they come.
 */
export class Values<V, In> {
  readonly #codec: Codec<V, In> | undefined;
  // Whether `decode` declares the signal parameter: only then is one made before decoding, so a
  // synchronous codec that does not take one (jsonCodec) costs nothing more per call.
  readonly #takesSignal: boolean;
  /**
   * Maps a `get` answer to its result, decoded; the raw mapper when there is no codec. With `call`,
   * an async decode answers `reason: 'decode'` when the call's deadline passes first.
   */
  readonly getResult: (item: Item | undefined, call?: CallDeadline) => GetResult<V> | Promise<GetResult<V>>;

  /** Whether values go through a codec (without one, answers are not rebuilt). */
  get decodes(): boolean {
    return this.#codec !== undefined;
  }

  constructor(codec: Codec<V, In> | undefined) {
    this.#codec = codec;
    this.#takesSignal = codec !== undefined && codec.decode.length >= 3;
    this.getResult = codec === undefined ? (rawGetResult as never) : (item, call) => this.#decodedGetResult(item, call);
  }

  /**
   * What to store for the caller's value and flags. Throws (or, for an async codec, rejects with)
   * `InvalidValueError` for a value the codec cannot encode and `InvalidFlagsError` for bad flags,
   * or flags given to a client whose codec sets them: all before any I/O.
   */
  encode(value: In, flags: number | undefined): EncodedValue {
    const codec = this.#codec;
    if (codec === undefined) {
      validateValue(value);
      const given = flags ?? 0;
      validateFlags(given);
      return { value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value, flags: given };
    }
    if (flags !== undefined) {
      throw new InvalidFlagsError('flags are set by the codec: leave them out of items of a client with a `codec`');
    }
    let encoded: Encoded | PromiseLike<Encoded>;
    try {
      encoded = codec.encode(value);
    } catch (err) {
      throw asInvalidValue(err);
    }
    if (!isPromiseLike(encoded)) return checked(encoded);
    return Promise.resolve(encoded).then(checked, (err) => {
      throw asInvalidValue(err);
    });
  }

  /**
   * One item, decoded; throws or rejects with a `DecodeError`. With `call`, the codec is handed its
   * signal (when `decode` takes one), and an async decode still running when the call's deadline
   * passes rejects then, saying so.
   */
  decode(item: Item, call?: CallDeadline): Item<V> | Promise<Item<V>> {
    const codec = this.#codec;
    if (codec === undefined) return item as unknown as Item<V>;
    const { key, flags } = item;
    let value: V | PromiseLike<V>;
    try {
      value =
        call !== undefined && this.#takesSignal
          ? codec.decode(item.value, flags, call.signal)
          : codec.decode(item.value, flags);
    } catch (err) {
      throw new DecodeError(key, flags, err);
    }
    if (!isPromiseLike(value)) return { key, value, flags };
    if (call !== undefined) return byDeadline(value, key, flags, call.signal);
    return Promise.resolve(value).then(
      (decoded) => ({ key, value: decoded, flags }),
      (err) => {
        throw new DecodeError(key, flags, err);
      },
    );
  }

  /**
   * The ok answer of a multi-key read over `items` (the hits) and `unavailable` (keys whose server
   * failed). A key that does not decode moves from `items` to `unavailable` and `decodeErrors`.
   */
  itemsResult(
    items: Map<string, Item>,
    unavailable: readonly string[],
    call?: CallDeadline,
  ): GetMultiResult<V> | Promise<GetMultiResult<V>> {
    if (this.#codec === undefined) return { ok: true, items: items as unknown as Map<string, Item<V>>, unavailable };
    const decoded = new Map<string, Item<V>>();
    const errors = new Map<string, DecodeError>();
    const later: Promise<void>[] = [];
    for (const item of items.values()) {
      try {
        const result = this.decode(item, call);
        if (isPromiseLike(result)) {
          later.push(
            result.then(
              (done) => void decoded.set(done.key, done),
              (err: DecodeError) => void errors.set(item.key, err),
            ),
          );
        } else decoded.set(item.key, result);
      } catch (err) {
        errors.set(item.key, err as DecodeError);
      }
    }
    const finish = (): GetMultiResult<V> => {
      if (errors.size === 0) return { ok: true, items: ordered(items, decoded), unavailable };
      const missing = [...unavailable, ...errors.keys()];
      return { ok: true, items: ordered(items, decoded), unavailable: missing, decodeErrors: errors };
    };
    return later.length === 0 ? finish() : Promise.all(later).then(finish);
  }

  /** `gets`'s answer: the item decoded, with its CAS token; a value that does not decode answers `decode`. */
  getsResult(item: WireCasItem | undefined, call: CallDeadline): GetsResult<V> | Promise<GetsResult<V>> {
    if (item === undefined) return { ok: true, item: undefined };
    const cas = item.cas as GetsItem['cas'];
    try {
      const decoded = this.decode(item, call);
      if (!isPromiseLike(decoded)) return { ok: true, item: { ...decoded, cas } };
      return decoded.then((done) => ({ ok: true, item: { ...done, cas } }), decodeNotOk);
    } catch (err) {
      return decodeNotOk(err);
    }
  }

  #decodedGetResult(item: Item | undefined, call: CallDeadline | undefined): GetResult<V> | Promise<GetResult<V>> {
    if (item === undefined) return { ok: true, item: undefined };
    try {
      const decoded = this.decode(item, call);
      if (!isPromiseLike(decoded)) return { ok: true, item: decoded };
      return decoded.then((done) => ({ ok: true, item: done }), decodeNotOk);
    } catch (err) {
      return decodeNotOk(err);
    }
  }
}

const STILL_DECODING = "the value was still decoding when the call's deadline (timeoutMs) passed";

/**
 * The decoded item, or a `DecodeError`: what the codec threw, or, when `signal` aborts first (the
 * call's deadline passed), that the value was still decoding.
 */
function byDeadline<V>(value: PromiseLike<V>, key: string, flags: number, signal: AbortSignal): Promise<Item<V>> {
  return new Promise((resolve, reject) => {
    const late = (): void => reject(new DecodeError(key, flags, signal.reason, STILL_DECODING));
    if (signal.aborted) return late();
    signal.addEventListener('abort', late);
    value.then(
      (decoded) => {
        signal.removeEventListener('abort', late);
        resolve({ key, value: decoded, flags });
      },
      (err) => {
        signal.removeEventListener('abort', late);
        reject(new DecodeError(key, flags, err));
      },
    );
  });
}

const rawGetResult = (item: Item | undefined): GetResult => ({ ok: true, item });

/** The not-ok answer of a read whose value did not decode: memcached answered, nothing counts. */
export function decodeNotOk(err: unknown): NotOk {
  return { ok: false, reason: 'decode', error: err as DecodeError };
}

function checked(encoded: Encoded): Encoded {
  if (!Buffer.isBuffer(encoded?.value))
    throw new InvalidValueError('the codec must encode to { value: Buffer, flags }');
  validateFlags(encoded.flags);
  return encoded;
}

function asInvalidValue(err: unknown): InvalidInputError {
  if (err instanceof InvalidInputError) return err;
  return new InvalidValueError(`the codec could not encode the value: ${(err as Error)?.message ?? String(err)}`, {
    cause: err,
  });
}

/** The decoded items in the order memcached answered them (async decodes may finish out of order). */
function ordered<V>(answered: Map<string, Item>, decoded: Map<string, Item<V>>): Map<string, Item<V>> {
  if (decoded.size === answered.size) {
    let same = true;
    const keys = decoded.keys();
    for (const key of answered.keys()) if (keys.next().value !== key) same = false;
    if (same) return decoded;
  }
  const result = new Map<string, Item<V>>();
  for (const key of answered.keys()) {
    const item = decoded.get(key);
    if (item) result.set(key, item);
  }
  return result;
}
