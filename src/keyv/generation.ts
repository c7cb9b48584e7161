import type { Item } from '../api/Item';

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
export const GENERATION_KEY_PREFIX = 'keyv-generation:';

/** The key holding the generation of `namespace` (Keyv's default namespace is `keyv`). */
export function generationKey(namespace: string | undefined): string {
  return GENERATION_KEY_PREFIX + (namespace ?? '');
}

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
