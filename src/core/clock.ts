import { performance } from 'node:perf_hooks';

/**
 * The time source. XState's `SimulatedClock` fits, so tests can move time by hand.
 * `now()` is in milliseconds and only differences between readings matter.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock. Its timers are unref'd: a reconnect delay or a call deadline must never be what
 * keeps a user's process alive (cockatiel and opossum both had bugs filed about exactly that).
 */
export const systemClock: Clock = {
  // From perf_hooks, not the global: Node 20's global `performance` is a getter, and this is read
  // on every call's deadline.
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/**
 * How late a timer of `ms` may fire and still count as on time: timers on a loaded machine run a
 * few ms late; an event loop held by the process shows up as tens of ms. Past this, a deadline
 * gives the sockets one turn of the event loop before it expires (DeadlineQueue, openSocket).
 */
export function lateAfterMs(ms: number): number {
  return Math.min(10, Math.max(2, ms / 10));
}

/**
 * Unix time in whole seconds by `clock`, to judge an absolute expiration. The system clock's is the
 * system's; another clock's (a test's `SimulatedClock`) is the system's when this is called, moved
 * on by that clock's elapsed time, since `now()` of a clock only measures differences.
 */
export function unixSecondsOf(clock: Clock): () => number {
  if (clock === systemClock) return () => Math.floor(Date.now() / 1000);
  const originMs = Date.now() - clock.now();
  return () => Math.floor((originMs + clock.now()) / 1000);
}
