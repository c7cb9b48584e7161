import type { Client, ConnectionState } from '../../src/Client';

/**
 * Resolves when `cache` is in `state` (at once if it already is), from its own `subscribe` events.
 * Rejects after `timeoutMs` so a broken client fails the test instead of hanging it.
 */
export function waitForState(cache: Client, state: ConnectionState, timeoutMs = 5000): Promise<void> {
  if (cache.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`still ${cache.state} after ${timeoutMs} ms, waiting for ${state}`));
    }, timeoutMs);
    const unsubscribe = cache.subscribe((change) => {
      if (change.state !== state) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
