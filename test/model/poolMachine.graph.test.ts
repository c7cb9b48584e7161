import { describe, test } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { poolMachine } from '../../machines/poolMachine';
import { describeCoverage } from './coverageSuite';
import { edgePaths } from './edgePaths';
import { MachineCoverage } from './MachineCoverage';
import type { ModelServer } from './ModelServer';
import { MODEL_SERVERS } from './modelServers';
import { PoolHarness } from './PoolHarness';
import {
  abstractPoolState,
  describePoolEvent,
  initialPoolState,
  poolModelEvents,
  poolTransition,
  UNIVERSE,
} from './poolTestModel';

const paths = edgePaths({
  initial: initialPoolState(),
  transition: poolTransition,
  events: poolModelEvents,
  serialize: abstractPoolState,
  describe: describePoolEvent,
});
const states = new Set(paths.map((path) => abstractPoolState(path.steps.at(-1)!.state)));

// The pool model has no stale results (they are the connection suite's), so every variant walks
// every path: a call in flight on a server that leaves must answer `closed` at once, so no server
// keeps calls on a closed port here.
for (const variant of MODEL_SERVERS) {
  const coverage = new MachineCoverage(poolMachine, variant.adapter);
  describe(`a pool of servers over the ${variant.adapter}, every edge of its model through the client`, () => {
    for (const { name, initial, steps } of paths) {
      test(name, async () => {
        const servers = new Map<string, ModelServer>();
        for (const id of UNIVERSE) servers.set(id, await variant.start(false));
        const harness = new PoolHarness(servers, (event: InspectionEvent) => coverage.inspect(event));
        try {
          await harness.check(initial);
          for (const { event, state } of steps) {
            await harness.apply(event, state);
            await harness.check(state);
          }
        } finally {
          try {
            await harness.dispose();
          } finally {
            for (const server of servers.values()) await server.stop();
          }
        }
      });
    }
  });
  describeCoverage(coverage, () => `${paths.length} edge paths over ${states.size} abstract states`);
}
