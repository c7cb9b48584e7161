/** Options of `fetch` (README "Read-through with fetch"). Seconds are memcached's expiration seconds. */
export interface FetchOptions {
  /** Seconds a loaded value is stored for (0: never expires). */
  readonly ttl: number;
  /**
   * Meta protocol: seconds a value is kept past `ttl`, during which fetches answer it at once while
   * exactly one of them (across processes) refreshes it. Ignored over the binary protocol.
   * @default 0
   */
  readonly staleTtl?: number;
  /**
   * Meta protocol: once a value has at most this many seconds left, one fetch (across processes)
   * refreshes it in the background while every fetch keeps answering it, so a steadily read key never
   * misses at its expiry. Ignored over the binary protocol.
   * @default 0
   */
  readonly recacheBefore?: number;
  /**
   * Meta protocol: how long, in milliseconds, a fetch waits for another client that is loading the
   * key before it calls its own loader.
   * @default 1000
   */
  readonly timeoutMs?: number;
  /**
   * Meta protocol: seconds memcached keeps the placeholder a miss leaves, the lease of the fetch that
   * loads the key: a whole number from 1 to 2592000 (30 days); memcached counts whole seconds, so it
   * may live up to one second less. While it lives the other clients wait for that load (up to their
   * `timeoutMs`) rather than load themselves: make it longer than your slowest loader, whose value is
   * stored only over its placeholder. A loader that throws gives it back at once. Ignored over the
   * binary protocol.
   * @default 30
   */
  readonly leaseTtl?: number;
  /**
   * Aborting rejects this caller's fetch with the signal's reason. It stops the wait, not the loader:
   * a loader already running goes on for the other callers sharing it.
   */
  readonly signal?: AbortSignal;
}

/** Options of `invalidate`. */
export interface InvalidateOptions {
  /**
   * Meta protocol: keep the value this many more seconds, marked stale, so fetches answer it while one
   * of them refreshes it. 0 (or the binary protocol) deletes the key.
   * @default 0
   */
  readonly staleTtl?: number;
}
