import { describe, it } from 'vitest';
import { PROTOCOLS } from '../support/protocol';
import { TRANSPORTS } from '../support/transports';
import { Run, type Scenario } from './Scenario';
import { DETECTION } from './scenarios/detection';
import { HOSTILE_ANSWERS } from './scenarios/hostileAnswers';
import { LINK_CUT } from './scenarios/linkCut';
import { LINK_FAULTS } from './scenarios/linkFaults';

// The shared conformance suite (docs/testing.md): every fault scenario, once per adapter and per
// transport. A scenario is written once, in scenarios/; an adapter joins by its name in PROTOCOLS.
const SCENARIOS: readonly Scenario[] = [...LINK_FAULTS, ...LINK_CUT, ...DETECTION, ...HOSTILE_ANSWERS];

for (const scenario of SCENARIOS) {
  describe(scenario.name, () => {
    for (const protocol of PROTOCOLS) {
      for (const transport of scenario.only?.transports ?? TRANSPORTS) {
        // Scenarios that measure time run one at a time; the others beside each other.
        const test = scenario.alone ? it : it.concurrent;
        test(`${protocol} over ${transport}`, async () => {
          const run = new Run(protocol, transport);
          try {
            await scenario.run(run);
          } finally {
            await run.close();
          }
        });
      }
    }
  });
}
