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
