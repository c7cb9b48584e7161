/**
 * Runs `call`, turning a synchronous throw (bad input, found before any I/O) into a rejected
 * promise: every method answers through its promise, the same way for every input.
 */
export function guarded<R>(call: () => Promise<R>): Promise<R> {
  try {
    return call();
  } catch (err) {
    return Promise.reject(err);
  }
}
