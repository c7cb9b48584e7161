export const PENDING = Symbol('pending');

/**
 * The value of `promise` if it settles before the event loop turns (every queued promise callback
 * has run by then), else PENDING. Tells "answered by now" from "still in flight" without waiting
 * for any time to pass.
 */
export function settledNow<T>(promise: Promise<T>): Promise<T | typeof PENDING> {
  return Promise.race([promise, new Promise<typeof PENDING>((resolve) => setImmediate(() => resolve(PENDING)))]);
}
