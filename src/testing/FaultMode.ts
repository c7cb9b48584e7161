import { describeValue, InvalidFaultModeError } from '../core/errors';

/**
 * What a {@link FaultProxy} does to traffic, applied to open connections and new ones alike:
 * - `pass`: forwards both ways untouched;
 * - `refuse`: closes every connection and stops listening, so new connects get ECONNREFUSED;
 * - `blackhole`: accepts connections and drops everything, answering nothing (a hung server or link);
 * - `reset`: resets (RST) a connection as soon as a response starts to come back;
 * - `delay`: holds every response chunk for `ms` before forwarding it (order kept);
 * - `trickle`: forwards responses one byte at a time;
 * - `cut`: forwards `afterBytes` bytes of response on each connection, then closes it (a link cut in
 *   the middle of a large value);
 * - `latency`: forwards every response chunk `ms` after it arrived (order kept): a slow link, where
 *   `delay` (one chunk at a time, each held `ms`) is a congested one;
 * - `partition`: holds every response until the mode changes, then delivers them in order: a link
 *   that drops packets for a while, after which TCP retransmits them. `blackhole` loses them for good.
 * When memcached cannot be reached or fails a connection, the client's connection is reset, as it
 * would be without the proxy (a graceful close would leave memjs's pending calls hanging).
 */
export type FaultMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'blackhole' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'trickle' }
  | { readonly kind: 'cut'; readonly afterBytes: number }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'partition' };

const KINDS: readonly FaultMode['kind'][] = [
  'pass',
  'refuse',
  'blackhole',
  'reset',
  'delay',
  'trickle',
  'cut',
  'latency',
  'partition',
];

/**
 * A checked copy of `mode` (each field read once): throws `InvalidFaultModeError` naming the field,
 * its value and what was expected, for a mode that is not a {@link FaultMode}.
 */
export function readFaultMode(mode: unknown): FaultMode {
  if (typeof mode !== 'object' || mode === null) {
    throw new InvalidFaultModeError(`FaultProxy.setMode expects a mode { kind }, got ${describeValue(mode)}`);
  }
  const kind: unknown = (mode as { kind?: unknown }).kind;
  switch (kind) {
    case 'delay':
    case 'latency':
      return { kind, ms: count(kind, 'ms', (mode as { ms?: unknown }).ms) };
    case 'cut':
      return { kind, afterBytes: count(kind, 'afterBytes', (mode as { afterBytes?: unknown }).afterBytes) };
    case 'pass':
    case 'refuse':
    case 'blackhole':
    case 'reset':
    case 'trickle':
    case 'partition':
      return { kind };
    default:
      throw new InvalidFaultModeError(
        `FaultProxy.setMode: mode.kind ${describeValue(kind)} is not a fault mode; expected one of ${KINDS.map((k) => `'${k}'`).join(', ')}`,
      );
  }
}

function count(kind: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidFaultModeError(
      `FaultProxy.setMode: mode.${field} of '${kind}' is ${describeValue(value)}; expected a finite number >= 0`,
    );
  }
  return value;
}
