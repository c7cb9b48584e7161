import type { StateChange, StateListener } from '../api/Client';
import type { ResolvedOptions } from '../config/options';
import { publishState } from '../core/channels';

/** Logs a state change that matters and tells every listener. */
export function reportStateChange(
  { name, logger }: ResolvedOptions,
  listeners: Set<StateListener>,
  change: StateChange,
  failedProbes: number,
): void {
  publishState(name, change);
  if (change.state === 'reconnecting') {
    logger.warn(
      `memcached connection down after ${change.failures} consecutive failures (${change.server}); healing in the background`,
    );
  } else if (change.previous === 'reconnecting' && change.state === 'connected') {
    logger.info(`memcached connection healed after ${failedProbes} failed probes (${change.server})`);
  }
  for (const listener of listeners) {
    try {
      listener(change);
    } catch (err) {
      // A listener's bug must not break the state machine.
      logger.error('reconnecting-memcached: a subscribe listener threw', err);
    }
  }
}
