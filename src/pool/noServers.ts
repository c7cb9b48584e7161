import type { CallTarget } from '../engine/CallTarget';

/**
 * Where a call goes while the pool has no servers (discovery has not found the first list): it has
 * no port, so the engine answers not-ok at once, without I/O, and nothing is counted.
 */
export const NO_SERVERS: CallTarget = {
  id: '(no servers yet)',
  port: undefined,
  generation: 0,
  active: true,
  succeeded: () => {},
  failed: () => {},
};
