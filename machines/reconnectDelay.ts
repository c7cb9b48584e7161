/** How much longer each failed probe makes the next wait. Doubling, capped: 10 s, 20 s, 40 s, 60 s, ... */
export const BACKOFF_FACTOR = 2;

/** The base delay `d` before probe number `attempt` (0-based): `recoveryDelayMs * 2^attempt`, capped at `maxRecoveryDelayMs`. */
export function baseDelay(attempt: number, recoveryDelayMs: number, maxRecoveryDelayMs: number): number {
  // Math.min before the power would overflow to Infinity after ~1000 attempts, which is harmless but ugly.
  const grown = recoveryDelayMs * BACKOFF_FACTOR ** Math.min(attempt, 64);
  return Math.min(grown, maxRecoveryDelayMs);
}

/**
 * The wait before the next probe, whole milliseconds random in `[d, 2d)` where `d = baseDelay(...)`.
 * Jitter keeps a fleet of clients from probing a restarted memcached in lockstep; with
 * `maxRecoveryDelayMs === recoveryDelayMs` this is the Go original's constant [10 s, 20 s) schedule.
 *
 * @param random a number in [0, 1); injected so tests can pin it.
 */
export function reconnectDelay(
  attempt: number,
  recoveryDelayMs: number,
  maxRecoveryDelayMs: number,
  random: () => number,
): number {
  const d = baseDelay(attempt, recoveryDelayMs, maxRecoveryDelayMs);
  const r = random();
  // A broken random source must not produce a negative or zero-length wait (a hot probe loop).
  const jitter = r >= 0 && r < 1 ? r : 0;
  // Whole milliseconds: timers round anyway, and a fractional sum of clock readings can land a hair
  // short of the deadline it was computed from (seen with SimulatedClock).
  return Math.max(d, Math.floor(d + d * jitter));
}
