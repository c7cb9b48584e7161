import type { CallOptions } from '../api/CallOptions';
import { MAX_TIMER_MS } from '../config/options';
import { type Aliases, didYouMean, unknownField } from '../core/closestName';
import { InvalidOptionError, VALUE_NOT_SHOWN } from '../core/errors';

/** The fields of `CallOptions`. */
export const CALL_OPTIONS: readonly string[] = ['timeoutMs', 'signal'];

// What other clients (or this client's other calls) call an option: each applies where its target is known.
const ALIASES: Aliases = {
  timeout: 'timeoutMs',
  deadline: 'timeoutMs',
  abortsignal: 'signal',
  ttl: 'expiration',
  exptime: 'expiration',
  expiration: 'ttl',
  expires: 'ttl',
};

/**
 * Throws `InvalidOptionError` unless `opts` is an object whose fields are all in `known`: a misspelt
 * option (`{ timeout: 1 }`) would otherwise be ignored. The error names the likely option; the value
 * is not shown.
 */
export function checkOptionsObject(
  opts: unknown,
  known: readonly string[] = CALL_OPTIONS,
  what = 'an object with timeoutMs and/or signal, or undefined',
): asserts opts is object {
  if (opts === null || typeof opts !== 'object') throw new InvalidOptionError('options', opts, what);
  const unknown = unknownField(opts, known);
  if (unknown !== undefined) {
    throw new InvalidOptionError(unknown, VALUE_NOT_SHOWN, didYouMean(unknown, known, ALIASES));
  }
}

/** Throws `InvalidOptionError` naming `timeoutMs` or `signal`, when either is given and bad. */
export function checkCallOptions(timeoutMs: unknown, signal: unknown): void {
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
      typeof (signal as AbortSignal).aborted !== 'boolean' ||
      typeof (signal as AbortSignal).addEventListener !== 'function' ||
      typeof (signal as AbortSignal).removeEventListener !== 'function')
  ) {
    throw new InvalidOptionError('signal', signal, 'an AbortSignal');
  }
}

/**
 * One call's options, read once into a copy and checked, before any I/O (a getter cannot pass the
 * check and then answer something else). For a call that hands its options to several servers.
 */
export function copyCallOptions(opts: CallOptions | undefined): CallOptions | undefined {
  if (opts === undefined) return undefined;
  checkOptionsObject(opts);
  const { timeoutMs, signal } = opts;
  checkCallOptions(timeoutMs, signal);
  return { timeoutMs, signal };
}
