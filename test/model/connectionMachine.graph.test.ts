import { describe, test } from 'vitest';
import type { StatePath } from 'xstate/graph';
import { connectionMachine } from '../../machines/connectionMachine';
import type { ConnectionSnapshot, ModelEvent } from './connectionTestModel';
import { abstractState, createConnectionTestModel, describeEvent } from './connectionTestModel';
import { describeCoverage } from './coverageSuite';
import { FacadeHarness } from './FacadeHarness';
import { graphInput } from './graphOptions';
import { MachineCoverage } from './MachineCoverage';

type Path = StatePath<ConnectionSnapshot, ModelEvent>;

// 1 takes `connected`'s own at-the-limit branch (no `degraded` at all); 3 takes `degraded`'s
// below-the-limit self-transition. No single limit reaches both, so the graph is walked for each.
const LIMITS = [1, 3] as const;

const coverage = new MachineCoverage(connectionMachine);
const counts: string[] = [];

/**
 * Every path worth running for one limit, each named by where it ends and how:
 * - the shortest path to every abstract state (`getShortestPaths`);
 * - every simple path (`getSimplePaths`): longer histories, e.g. healing after a hung probe;
 * - every edge of the abstract graph, each as the shortest path to its source plus that edge. This is
 *   what takes the events that change nothing (a stale result, a success while connected): they are
 *   self-loops, which no path generator of xstate/graph ever walks.
 */
function pathsFor(limit: number): { name: string; path: Path }[] {
  const model = createConnectionTestModel(graphInput(limit));
  const shortest = model.getShortestPaths();
  const simple = model.getSimplePaths();
  const prefixes = new Map<string, Path>();
  for (const path of model.getShortestPaths({ allowDuplicatePaths: true })) {
    prefixes.set(abstractState(path.state), path);
  }
  const edges: Path[] = [];
  for (const [from, { transitions }] of Object.entries(model.getAdjacencyMap())) {
    const prefix = prefixes.get(from);
    if (!prefix) throw new Error(`no shortest path to ${from}`);
    for (const step of Object.values(transitions) as Path['steps']) {
      edges.push({ state: step.state, steps: [...prefix.steps, step], weight: prefix.weight + 1 });
    }
  }
  const unique = new Map<string, { name: string; path: Path }>();
  for (const path of [...shortest, ...simple, ...edges]) {
    const events = path.steps.slice(1).map((step) => describeEvent(step.event));
    const name = `${abstractState(path.state)} <- ${events.join(' > ') || '(start)'}`;
    if (!unique.has(name)) unique.set(name, { name, path });
  }
  counts.push(
    `limit ${limit}: ${shortest.length} shortest + ${simple.length} simple + ${edges.length} edge paths, ` +
      `${unique.size} distinct`,
  );
  return [...unique.values()];
}

for (const limit of LIMITS) {
  describe(`allowedFailuresBeforeHealing = ${limit}`, () => {
    const model = createConnectionTestModel(graphInput(limit));
    for (const { name, path } of pathsFor(limit)) {
      test(name, async () => {
        const harness = new FacadeHarness(limit, coverage.inspect);
        try {
          await model.testPath(path, harness.params(path));
        } finally {
          await harness.dispose();
        }
      });
    }
  });
}

describeCoverage(coverage, () => counts.join('; '));
