import type { ConnectionInput } from '../../machines/connectionMachine';

/**
 * The facade's options in the graph suite. The call deadline is long next to the reconnect waits,
 * so a call held on a dropped connection is still in flight when the next connection is up; only a
 * hung probe (probeTimeout = connectTimeoutMs + timeoutMs) outlasts it.
 */
export const GRAPH_OPTIONS = {
  servers: 'fake:11211',
  timeoutMs: 60_000,
  connectTimeoutMs: 1_000,
  recoveryDelayMs: 1_000,
  maxRecoveryDelayMs: 4_000,
} as const;

/** What the facade gives its machine for `GRAPH_OPTIONS`: the model is built from the same input. */
export function graphInput(allowedFailuresBeforeHealing: number): ConnectionInput {
  return {
    allowedFailuresBeforeHealing,
    recoveryDelayMs: GRAPH_OPTIONS.recoveryDelayMs,
    maxRecoveryDelayMs: GRAPH_OPTIONS.maxRecoveryDelayMs,
    probeTimeoutMs: GRAPH_OPTIONS.connectTimeoutMs + GRAPH_OPTIONS.timeoutMs,
  };
}
