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
   * key before it calls its own loader. Also how long memcached keeps the miss's placeholder.
   * @default 1000
   */
  readonly timeoutMs?: number;
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
