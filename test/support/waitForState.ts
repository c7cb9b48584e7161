import type { Client, ConnectionState } from '../../src/api/Client';

/**
 * Resolves when `done()` holds (at once if it already does), checked on each of the client's own
 * `subscribe` events. Rejects after `timeoutMs` so a broken client fails the test instead of hanging it.
 */
export function waitUntil(cache: Client, done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`still not ${what} after ${timeoutMs} ms (client ${cache.state})`));
    }, timeoutMs);
    const unsubscribe = cache.subscribe(() => {
      if (!done()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** Resolves when `cache.state` is `state` (with several servers, the worst of theirs). */
export function waitForState(cache: Client, state: ConnectionState, timeoutMs = 5000): Promise<void> {
  return waitUntil(cache, () => cache.state === state, state, timeoutMs);
}

/** Resolves when the server `server` (`host:port`) is in `state`. */
export function waitForServerState(
  cache: Client,
  server: string,
  state: ConnectionState,
  timeoutMs = 5000,
): Promise<void> {
  const current = () => cache.servers().find((s) => s.server === server)?.state;
  return waitUntil(cache, () => current() === state, `${server} ${state}`, timeoutMs);
}
