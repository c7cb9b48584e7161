import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter } from 'keyv';
import type { Client } from '../api/Client';
import { createClient } from '../client/createClient';
import type { ClientOptions } from '../config/options';
import { EXPIRATION_LIMITS } from '../config/protocol';
import { InvalidOptionError } from '../core/errors';
import { MAX_KEY_BYTES, MAX_RELATIVE_EXPIRATION } from '../core/validation';
import { encodeGeneration, generationKey, LONGEST_OWN_KEY_BYTES, nextGeneration, readGeneration } from './generation';
import { memcachedKey } from './memcachedKey';

// Past 30 days memcached reads an expiration as a Unix time. A store's items go over any protocol,
// so the last Unix time it sends is the lowest the protocols carry.
const MAX_RELATIVE_SECONDS = MAX_RELATIVE_EXPIRATION;
const MAX_UNIX_SECONDS = Math.min(...Object.values(EXPIRATION_LIMITS).map((limit) => limit.max));

/**
 * A Keyv storage adapter over this client: `new Keyv({ store: new KeyvStore(cache) })`. While
 * memcached is down every call answers at once, as Keyv expects of a cache that misses: `get` is
 * undefined, `set` and `delete` false, and nothing throws or hangs.
 *
 * Given a client, the store uses it and leaves closing it to you; given client options, it creates
 * its own client and closes it on `disconnect()`. The client must use the default (raw) codec: Keyv
 * serializes values itself, and the store keeps its namespace generation in the flags.
 *
 * memcached cannot list keys, so `clear()` clears a namespace by moving it to a new generation
 * (see `generation.ts` and docs/keyv.md): one store, no scan, old items unreachable in every process.
 */
export class KeyvStore extends EventEmitter implements KeyvStoreAdapter {
  /** Keyv's adapter options object (Keyv and its test suite read and write it). */
  opts: Record<string, unknown> = {};
  /** Set by Keyv: its keys arrive already prefixed with it; `clear()` clears only this namespace. */
  namespace?: string | undefined;
  readonly #client: Client;
  readonly #owned: boolean;
  // The client's keyPrefix: memcached's 250-byte limit counts it.
  readonly #prefixBytes: number;
  readonly #random: () => number;
  // Namespaces whose clear() found memcached down: cleared again before this store reads them.
  readonly #clearPending = new Set<string | undefined>();

  constructor(clientOrOptions: Client | ClientOptions, internals: { readonly random?: () => number } = {}) {
    super();
    if (isClient(clientOrOptions)) {
      this.#client = clientOrOptions;
      this.#owned = false;
    } else {
      this.#client = createClient(clientOrOptions);
      this.#owned = true;
    }
    this.#random = internals.random ?? Math.random;
    const prefix: unknown = (this.#client as { keyPrefix?: unknown }).keyPrefix;
    this.#prefixBytes = typeof prefix === 'string' ? Buffer.byteLength(prefix, 'utf8') : 0;
    if (this.#prefixBytes + LONGEST_OWN_KEY_BYTES > MAX_KEY_BYTES) {
      if (this.#owned) void this.#client.close();
      throw new InvalidOptionError(
        'keyPrefix',
        prefix,
        `at most ${MAX_KEY_BYTES - LONGEST_OWN_KEY_BYTES} UTF-8 bytes for a KeyvStore, which needs room for its hashed keys`,
      );
    }
  }

  /** The client the store talks through. */
  get client(): Client {
    return this.#client;
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return (await this.getMany<Value>([key]))[0];
  }

  /** One round trip: the namespace's generation and every key in one multi-get. */
  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    const generationOf = generationKey(this.namespace, this.#prefixBytes);
    const wire = keys.map((key) => memcachedKey(key, this.#prefixBytes));
    const misses = keys.map(() => undefined);
    // No await unless a clear is pending: deleteMany relies on the multi-get going out at once.
    if (this.#clearPending.size > 0 && !(await this.#settleClear())) return misses;
    const got = await this.#client.getMulti([generationOf, ...wire]);
    if (!got.ok) return misses;
    const generation = readGeneration(got.items.get(generationOf));
    if (generation === undefined) return misses;
    return wire.map((key) => {
      const item = got.items.get(key);
      return item !== undefined && item.flags === generation ? (item.value.toString('utf8') as Value) : undefined;
    });
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    return (await this.getMany(keys)).map((value) => value !== undefined);
  }

  /**
   * `ttl` in milliseconds, as Keyv gives it. memcached keeps the item a little longer (see
   * `expiration`): Keyv hides it once its own ttl is over.
   */
  async set(key: string, value: string | Buffer, ttl?: number): Promise<boolean> {
    const generation = await this.#generation();
    if (generation === undefined) return false;
    const wire = memcachedKey(key, this.#prefixBytes);
    return this.#client.set({ key: wire, value, flags: generation, expiration: expiration(ttl) });
  }

  /** True when the key was there (in this namespace's generation) and is now deleted. */
  async delete(key: string): Promise<boolean> {
    return this.deleteMany([key]);
  }

  /**
   * True when every key was there and is now deleted, as Keyv's own fallback answers. The reads
   * and the deletes go out together, reads first, so this costs one round trip.
   */
  async deleteMany(keys: string[]): Promise<boolean> {
    if (keys.length === 0 || !(await this.#settleClear())) return false;
    // getMany sends its multi-get before its first await, so it reaches memcached before the deletes.
    const [found, ...deleted] = await Promise.all([
      this.getMany(keys),
      ...keys.map((key) => this.#client.delete(memcachedKey(key, this.#prefixBytes))),
    ]);
    return found.every((value) => value !== undefined) && deleted.every(Boolean);
  }

  /**
   * Clears this namespace by storing a new generation. Never throws: while memcached is down the
   * clear cannot be stored, so this store remembers it and clears again before its next read or
   * write, which miss until it succeeds (other processes may see the old items until then).
   */
  async clear(): Promise<void> {
    const namespace = this.namespace;
    this.#clearPending.add(namespace);
    await this.#settleClear();
  }

  /** Closes the client if the store created it; a client you passed in stays open. */
  async disconnect(): Promise<void> {
    if (this.#owned) await this.#client.close();
  }

  /** The namespace's current generation, created if it has none; undefined while memcached is down. */
  async #generation(): Promise<number | undefined> {
    if (!(await this.#settleClear())) return undefined;
    const key = generationKey(this.namespace, this.#prefixBytes);
    const got = await this.#client.get(key);
    if (!got.ok) return undefined;
    const current = readGeneration(got.item);
    if (current !== undefined) return current;
    // Bytes that are no generation: nobody can use them, replace them as clear() would.
    if (got.item !== undefined) return this.#store(nextGeneration(this.#random));
    return this.#create(key);
  }

  /**
   * Creates the missing generation with `add`, not `set`: of stores (processes) that found it
   * missing at once, one creates it and the others read and use that one, so no store writes items
   * under a generation another replaced. undefined when memcached is down, or the generation went
   * again before it could be read back (its items would be misses anyway).
   */
  async #create(key: string): Promise<number | undefined> {
    const generation = nextGeneration(this.#random);
    const added = await this.#client.add({ key, value: encodeGeneration(generation) });
    if (!added.ok) return undefined;
    if (added.stored) return generation;
    const winner = await this.#client.get(key);
    return winner.ok ? readGeneration(winner.item) : undefined;
  }

  /** Stores a new generation for the namespace, if a clear() is pending for it. False when it could not. */
  async #settleClear(): Promise<boolean> {
    const namespace = this.namespace;
    if (!this.#clearPending.has(namespace)) return true;
    const stored = await this.#store(nextGeneration(this.#random));
    if (stored !== undefined) this.#clearPending.delete(namespace);
    return stored !== undefined;
  }

  async #store(generation: number): Promise<number | undefined> {
    const key = generationKey(this.namespace, this.#prefixBytes);
    const stored = await this.#client.set({ key, value: encodeGeneration(generation) });
    return stored ? generation : undefined;
  }
}

function isClient(value: Client | ClientOptions): value is Client {
  return typeof (value as Client)?.getMulti === 'function' && typeof (value as Client)?.subscribe === 'function';
}

/**
 * Keyv's ttl in milliseconds as a memcached expiration: 0 never, whole seconds, absolute past 30
 * days. memcached's clock ticks once a second, so an item stored for N seconds lives between N-1
 * and N: one second more than the ttl rounded up never expires it before Keyv's own ttl. A ttl
 * beyond the last Unix time every protocol carries (2038) is stored without one: Keyv expires the
 * item itself.
 */
function expiration(ttl: number | undefined): number {
  if (ttl === undefined || ttl === 0 || Number.isNaN(ttl)) return 0;
  // A ttl already past (Keyv checks `expires` itself) still gets a short expiry.
  const seconds = Math.max(0, Math.ceil(ttl / 1000)) + 1;
  if (seconds <= MAX_RELATIVE_SECONDS) return seconds;
  const at = Math.floor(Date.now() / 1000) + seconds;
  return at <= MAX_UNIX_SECONDS ? at : 0;
}
