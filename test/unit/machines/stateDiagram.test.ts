import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectionMachine } from '../../../machines/connectionMachine';
import {
  DIAGRAM_PATH,
  edges,
  README_PATH,
  stateDiagram,
  stateNodes,
  withReadmeDiagram,
} from '../../../scripts/diagram';

describe('docs/state-diagram.md', () => {
  it('is what `npm run docs:diagram` generates from the machine today', () => {
    // When this fails after a change to the machine: run `npm run docs:diagram` and commit the file.
    expect(readFileSync(DIAGRAM_PATH, 'utf8')).toBe(stateDiagram(connectionMachine));
  });

  it('is embedded, the same, in README.md', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(withReadmeDiagram(readme, connectionMachine));
  });

  it('draws every transition of the machine, with its guard and delay', () => {
    const all = [connectionMachine.root, ...stateNodes(connectionMachine.root)].flatMap((node) =>
      [...node.transitions.values()].flat().map((transition) => ({ node, transition })),
    );
    const topLevelNotFinal = Object.values(connectionMachine.root.states).filter((s) => s.type !== 'final').length;
    // Root transitions are drawn once per top-level state; each other transition once per target.
    const expected = all.reduce(
      (sum, { node, transition }) =>
        sum + (node === connectionMachine.root ? topLevelNotFinal : 1) * (transition.target?.length ?? 1),
      0,
    );
    const drawn = edges(connectionMachine);
    expect(drawn).toHaveLength(expected);
    const text = stateDiagram(connectionMachine);
    for (const edge of drawn) expect(text).toContain(edge.label);
    expect(text).toContain(
      'connected --> reconnecting: CALL.FAILED [isCurrentGeneration and reachesFailureLimit] / countFailure',
    );
    expect(text).toContain('reconnecting_waiting --> reconnecting_probing: after reconnectDelay');
    expect(text).toContain('reconnecting_probing --> reconnecting_waiting: after probeTimeout / countProbeFailure');
  });
});
