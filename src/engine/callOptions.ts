import type { CallOptions } from '../api/CallOptions';
import { MAX_TIMER_MS } from '../config/options';
import { InvalidOptionError } from '../core/errors';

/**
 * Checks one call's options before any I/O, as createClient checks the client's. Throws
 * `InvalidOptionError` naming the option; `undefined` (no options) is fine.
 */
export function validateCallOptions(opts: CallOptions | undefined): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object') {
    throw new InvalidOptionError('options', opts, 'an object with timeoutMs and/or signal, or undefined');
  }
  const { timeoutMs, signal } = opts;
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS)
  ) {
    throw new InvalidOptionError('timeoutMs', timeoutMs, `a number of milliseconds > 0 and <= ${MAX_TIMER_MS}`);
  }
  if (
    signal !== undefined &&
    (signal === null ||
      typeof signal !== 'object' ||
      typeof signal.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function' ||
      typeof signal.removeEventListener !== 'function')
  ) {
    throw new InvalidOptionError('signal', signal, 'an AbortSignal');
  }
}
