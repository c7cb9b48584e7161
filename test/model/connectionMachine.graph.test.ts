import { describe, expect, test } from 'vitest';
import type { StatePath } from 'xstate/graph';
import { connectionMachine } from '../../machines/connectionMachine';
import type { ConnectionSnapshot, ModelEvent } from './connectionTestModel';
import { abstractState, createConnectionTestModel, describeEvent, STALE } from './connectionTestModel';
import { describeCoverage } from './coverageSuite';
import { FacadeHarness } from './FacadeHarness';
import { graphInput } from './graphOptions';
import { MachineCoverage } from './MachineCoverage';
import { MODEL_SERVERS } from './modelServers';

type Path = StatePath<ConnectionSnapshot, ModelEvent>;

// 1 takes `connected`'s own at-the-limit branch (no `degraded` at all); 3 takes `degraded`'s
// below-the-limit self-transition. No single limit reaches both, so the graph is walked for each.
const LIMITS = [1, 3] as const;

/**
 * Every path worth running for one limit, each named by where it ends and how:
 * - the shortest path to every abstract state (`getShortestPaths`);
 * - every simple path (`getSimplePaths`): longer histories, e.g. healing after a hung probe;
 * - every edge of the abstract graph, each as the shortest path to its source plus that edge. This is
 *   what takes the events that change nothing (a stale result, a success while connected): they are
 *   self-loops, which no path generator of xstate/graph ever walks.
 */
function pathsFor(limit: number): { paths: { name: string; path: Path }[]; count: string } {
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
  const count =
    `limit ${limit}: ${shortest.length} shortest + ${simple.length} simple + ${edges.length} edge paths, ` +
    `${unique.size} distinct`;
  return { paths: [...unique.values()], count };
}

/**
 * Whether the path asks for a result from a dropped connection (a stale CALL.FAILED or
 * CALL.SUCCEEDED, after the drop). Only the fake port can give one: a real adapter fails every call
 * in flight on a connection when the client drops it (memjs's own close() did not: memjs #162; the
 * memjs adapter fails them, and so does the meta one), so over a real adapter a call in flight at a
 * drop ends with the drop (FacadeHarness checks it answers `connection` and moves nothing), and none
 * is left to answer later. Those paths are not run over a real adapter; the test below checks they are
 * only the stale self-loops, which take no transition of the machine, so the coverage is the same.
 */
function asksForLateResult(path: Path): boolean {
  return path.steps.some(({ event }) => isStale(event));
}

function isStale(event: ModelEvent): boolean {
  return (event.type === 'CALL.FAILED' || event.type === 'CALL.SUCCEEDED') && event.generation === STALE;
}

const WALKS = LIMITS.map((limit) => ({
  limit,
  model: createConnectionTestModel(graphInput(limit)),
  ...pathsFor(limit),
}));

for (const variant of MODEL_SERVERS) {
  const coverage = new MachineCoverage(connectionMachine, variant.adapter);
  const counts: string[] = [];
  describe(`over the ${variant.adapter}`, () => {
    for (const { limit, model, paths, count } of WALKS) {
      const run = variant.lateResults ? paths : paths.filter(({ path }) => !asksForLateResult(path));
      counts.push(run.length === paths.length ? count : `${count}, ${run.length} run (no late result)`);
      describe(`allowedFailuresBeforeHealing = ${limit}`, () => {
        for (const { name, path } of run) {
          test(name, async () => {
            const server = await variant.start(true);
            const harness = new FacadeHarness(server, limit, coverage.inspect);
            try {
              await model.testPath(path, harness.params(path));
            } finally {
              try {
                await harness.dispose();
              } finally {
                await server.stop();
              }
            }
          });
        }
      });
    }
    describeCoverage(coverage, () => counts.join('; '));
  });
}

describe('the paths a real adapter cannot be given', () => {
  test('are the edges that end in a late result, and that result changes nothing', () => {
    const left = WALKS.flatMap(({ paths }) => paths.filter(({ path }) => asksForLateResult(path)));
    // Both kinds, from every state with an older connection: what the fake-port variant walks and
    // the real ones do not.
    expect(left.length).toBeGreaterThan(0);
    for (const { name, path } of left) {
      const steps = path.steps;
      expect(
        steps.slice(0, -1).some(({ event }) => isStale(event)),
        `${name}: only its last step is stale`,
      ).toBe(false);
      expect(abstractState(steps.at(-1)!.state), `${name}: the stale result moves nothing`).toBe(
        abstractState(steps.at(-2)!.state),
      );
    }
  });
});
