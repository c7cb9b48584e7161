/** Options of one call: the last argument of every data and admin method. */
export interface CallOptions {
  /**
   * This call's deadline, in milliseconds, instead of the client's `timeoutMs`: shorter or longer.
   * At most 2^31-1 (Node's timer limit).
   * @default the client's timeoutMs
   */
  readonly timeoutMs?: number;
  /**
   * Settles the call at once with `{ ok: false, reason: 'aborted' }` (`false` for `set`/`delete`)
   * when it aborts, or before any I/O if it is aborted already; `ping`, `flush`, `stats` and
   * `version` reject with the signal's `reason` (an `AbortError` unless you gave one). An abort
   * never counts toward healing and leaves the connection as it is: a late answer is dropped.
   */
  readonly signal?: AbortSignal;
}
