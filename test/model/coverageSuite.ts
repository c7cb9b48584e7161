import { afterAll, describe, expect, test } from 'vitest';
import type { MachineCoverage } from './MachineCoverage';

/**
 * The last tests of a graph suite: print what the client's actors went through and fail, naming
 * each state node and transition no path took, unless it is all of them. `paths` says how many
 * paths were run (printed after the suite).
 */
export function describeCoverage(coverage: MachineCoverage, paths: () => string): void {
  const over = coverage.over ? ` over the ${coverage.over}` : '';
  describe(`coverage of the ${coverage.machineId} machine through the client${over}`, () => {
    afterAll(() => {
      console.log(`${coverage.machineId} model paths${over}: ${paths()}`);
    });

    test('every state node and every transition was exercised', () => {
      const report = coverage.report();
      console.log(report.summary);
      expect(report.uncovered, `${report.summary}\n${report.uncovered.join('\n')}`).toEqual([]);
    });
  });
}
