import { describe, test } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { poolMachine } from '../../machines/poolMachine';
import { describeCoverage } from './coverageSuite';
import { edgePaths } from './edgePaths';
import { MachineCoverage } from './MachineCoverage';
import { PoolHarness } from './PoolHarness';
import {
  abstractPoolState,
  describePoolEvent,
  initialPoolState,
  poolModelEvents,
  poolTransition,
} from './poolTestModel';

const coverage = new MachineCoverage(poolMachine);

const paths = edgePaths({
  initial: initialPoolState(),
  transition: poolTransition,
  events: poolModelEvents,
  serialize: abstractPoolState,
  describe: describePoolEvent,
});
const states = new Set(paths.map((path) => abstractPoolState(path.steps.at(-1)!.state)));

describe('a pool of servers, every edge of its model through the client', () => {
  for (const { name, initial, steps } of paths) {
    test(name, async () => {
      const harness = new PoolHarness((event: InspectionEvent) => coverage.inspect(event));
      try {
        await harness.check(initial);
        for (const { event, state } of steps) {
          await harness.apply(event, state);
          await harness.check(state);
        }
      } finally {
        await harness.dispose();
      }
    });
  }
});

describeCoverage(coverage, () => `${paths.length} edge paths over ${states.size} abstract states`);
