/**
 * How many calls are settled in one turn of the event loop when many settle at once (expiries,
 * a dropped connection's calls): a slice takes a few milliseconds, so other sockets, timers and
 * the callers' own continuations get the event loop between slices.
 */
export const SETTLE_SLICE = 2_000;

/**
 * Calls `each` on every item in order: the first SETTLE_SLICE now, the rest SETTLE_SLICE per later
 * turn of the event loop (setImmediate). Dropping a connection with 100,000 calls in flight failed
 * them all in one stretch, and the calls that had already answered `timeout` just before reached
 * their callers only after it.
 */
export function inSlices<T>(items: readonly T[], each: (item: T) => void): void {
  let next = 0;
  const slice = () => {
    const end = Math.min(items.length, next + SETTLE_SLICE);
    for (; next < end; next++) each(items[next] as T);
    if (next < items.length) setImmediate(slice);
  };
  slice();
}
