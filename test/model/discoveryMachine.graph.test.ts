import { describe, test } from 'vitest';
import { discoveryMachine } from '../../machines/discoveryMachine';
import { describeCoverage } from './coverageSuite';
import { DiscoveryHarness } from './DiscoveryHarness';
import {
  abstractDiscoveryState,
  describeDiscoveryEvent,
  discoveryEvents,
  discoveryTransition,
  INITIAL,
} from './discoveryTestModel';
import { edgePaths } from './edgePaths';
import { MachineCoverage } from './MachineCoverage';

const paths = edgePaths({
  initial: INITIAL,
  transition: discoveryTransition,
  events: discoveryEvents,
  serialize: abstractDiscoveryState,
  describe: describeDiscoveryEvent,
});
const states = new Set(paths.map((path) => abstractDiscoveryState(path.steps.at(-1)!.state)));
const coverage = new MachineCoverage(discoveryMachine, 'ElastiCache endpoint stub');

describe('discovery from an ElastiCache endpoint, every edge of its model through the client', () => {
  for (const { name, initial, steps } of paths) {
    test(name, async () => {
      const harness = await DiscoveryHarness.start((event) => coverage.inspect(event));
      try {
        await harness.check(initial);
        let before = initial;
        for (const { event, state } of steps) {
          await harness.apply(event, before);
          await harness.check(state);
          before = state;
        }
      } finally {
        await harness.dispose();
      }
    });
  }
});
describeCoverage(coverage, () => `${paths.length} edge paths over ${states.size} abstract states`);
