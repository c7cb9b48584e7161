import { FakePortServer } from './FakePortServer';
import type { ModelServer } from './ModelServer';
import { WireServer } from './WireServer';

/** One thing the client can run over in a model suite. */
export interface ModelServerVariant {
  /** How the suite names it: in test names and the coverage line. */
  readonly adapter: string;
  /**
   * Whether `start(true)` makes a server with `lateResults`: known before any server runs, as it
   * decides which paths a suite runs over it.
   */
  readonly lateResults: boolean;
  /** A new server; `lateResults`: keep calls in flight on a port the client closed, where it can. */
  start(lateResults: boolean): Promise<ModelServer>;
}

/**
 * What the model suites run over, each walking the same paths with the same checks: the fake port
 * (every fault exact, stale results included), then each real adapter over real sockets to a fake
 * memcached on loopback, so the adapters keep the promises the model checks: one suite,
 * parameterised by adapter.
 */
export const MODEL_SERVERS: readonly ModelServerVariant[] = [
  { adapter: 'fake port', lateResults: true, start: async (lateResults) => new FakePortServer(lateResults) },
  { adapter: 'binary adapter (memjs)', lateResults: false, start: () => WireServer.start('binary') },
  { adapter: 'meta adapter', lateResults: false, start: () => WireServer.start('meta') },
  { adapter: 'text adapter', lateResults: false, start: () => WireServer.start('text') },
];
