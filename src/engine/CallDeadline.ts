/**
 * The call whose answer is being mapped, as the mapping sees it: an answer mapped asynchronously
 * (an async codec decoding a value) still settles by the call's deadline, and `signal` aborts when
 * that deadline passes first, so the work can stop. Reading `signal` makes it; nothing else does.
 */
export interface CallDeadline {
  readonly signal: AbortSignal;
}
