import type { Item } from '../api/Item';
import { fits, RESERVED_KEY_PREFIX, sha256 } from './memcachedKey';

/**
 * How `clear()` works without listing keys: each namespace has a generation, a random 32-bit number
 * stored under its own key, and every item is written with the generation of its namespace in its
 * flags. An item whose flags are not the current generation is a miss, so `clear()` only has to
 * store a new generation: the old items become unreachable at once, in every process, and memcached
 * evicts them as it needs room (or they expire).
 *
 * Random rather than a counter, so a generation key that memcached evicted or lost in a restart
 * comes back as a new random value too: items of the old generation then stay misses (a counter
 * restarting at 0 would bring them back). Two generations collide with probability 2^-32.
 */
export const GENERATION_KEY_PREFIX = `${RESERVED_KEY_PREFIX}generation:`;

/** Where the generation of a namespace that memcached cannot take in a key is kept: its SHA-256. */
export const HASHED_GENERATION_KEY_PREFIX = `${RESERVED_KEY_PREFIX}generation-sha256:`;

/**
 * The memcached key holding the generation of `namespace` (Keyv's default namespace is `keyv`),
 * with room for a client key prefix of `prefixBytes`. Both forms start with the reserved `keyv-`,
 * which no Keyv key is stored under unhashed, so no namespace can overwrite another's generation.
 */
export function generationKey(namespace: string | undefined, prefixBytes = 0): string {
  const name = namespace ?? '';
  const key = GENERATION_KEY_PREFIX + name;
  return fits(key, prefixBytes) ? key : HASHED_GENERATION_KEY_PREFIX + sha256(name);
}

/** The longest key the store makes itself: a hashed generation key. */
export const LONGEST_OWN_KEY_BYTES = HASHED_GENERATION_KEY_PREFIX.length + 43;

/** A new generation: any 32-bit value but `previous`. */
export function nextGeneration(random: () => number, previous?: number): number {
  for (;;) {
    const generation = Math.floor(random() * 2 ** 32) >>> 0;
    if (generation !== previous) return generation;
  }
}

/** The generation stored in `item`, or undefined for none or a value that is not one. */
export function readGeneration(item: Item | undefined): number | undefined {
  if (item === undefined) return undefined;
  const text = item.value.toString('latin1');
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const generation = Number(text);
  return generation < 2 ** 32 ? generation : undefined;
}

/** How a generation is stored: its decimal digits, so memcached's own tools show it. */
export function encodeGeneration(generation: number): string {
  return String(generation);
}
