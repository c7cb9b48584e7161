import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, InspectionEvent } from 'xstate';
import { getStateNodes } from 'xstate/graph';

interface Edge {
  readonly key: string;
  readonly label: string;
}

interface CoverageReport {
  /**
   * One line: `connection machine (fake port): state coverage 7/7 (100%), transition coverage 13/13 (100%)`
   * (the parenthesis: what the client ran over, when the suite runs over several).
   */
  readonly summary: string;
  /** The uncovered state nodes and edges, one per line, or [] when everything was exercised. */
  readonly uncovered: readonly string[];
}

/**
 * Which state nodes and transitions of a machine the actors it watches (through `inspect`) really
 * went through. XState's graph tools have no coverage API, so it is counted here, from the
 * `@xstate.microstep` inspection events of the running actor: what the system under test did, not
 * what the model predicted.
 *
 * A transition is one entry of a state node's `transitions` (each guarded branch, each `after`
 * delay and each invoke `onDone`/`onError` on its own) or `always`. One defined on a parent (like the
 * root-level CLOSE) counts once per non-final leaf it can be taken from: closing from `probing` and
 * closing from `connected` run different cleanups.
 */
export class MachineCoverage {
  /** The id of the machine counted (`connection`, `pool`). */
  readonly machineId: string;
  /** What the client under test ran over (`fake port`, `meta adapter`), when a suite runs over several. */
  readonly over: string | undefined;
  readonly #stateIds: readonly string[];
  readonly #edges: readonly Edge[];
  readonly #visited = new Set<string>();
  readonly #taken = new Set<string>();
  // The leaves each watched actor is in, by session id, to know where a transition was taken from.
  readonly #leaves = new Map<string, readonly AnyStateNode[]>();

  constructor(machine: AnyStateMachine, over?: string) {
    this.machineId = machine.id;
    this.over = over;
    const nodes = [machine.root, ...getStateNodes(machine.root)];
    this.#stateIds = nodes.map((node) => node.id);
    this.#edges = nodes.flatMap((node) =>
      definedTransitions(node).flatMap(({ transition, index }) =>
        leavesUnder(node).map((leaf) => ({
          key: edgeKey(leaf, transition, index),
          label: describeTransition(leaf, transition),
        })),
      ),
    );
  }

  /** Pass as the `inspect` option of the actor (or client) under test. */
  readonly inspect = (event: InspectionEvent): void => {
    // Every actor running this machine, root or child (a client's connection actors are children of
    // its pool actor); not the pool, nor the probes.
    if (event.type !== '@xstate.snapshot' && event.type !== '@xstate.microstep') return;
    if ((event.snapshot as { machine?: AnyStateMachine }).machine?.id !== this.machineId) return;
    const actor = event.actorRef.sessionId;
    if (event.type === '@xstate.snapshot') {
      this.#enter(actor, event.snapshot);
    } else {
      const leaves = this.#leaves.get(actor) ?? [];
      for (const transition of event._transitions) {
        const from = leaves.find((leaf) => isUnder(leaf, transition.source));
        if (!from) throw new Error(`a transition of ${transition.source.id} was taken outside it`);
        const index = indexOf(transition);
        if (index >= 0) this.#taken.add(edgeKey(from, transition, index));
      }
      this.#enter(actor, event.snapshot);
    }
  };

  report(): CoverageReport {
    const states = this.#stateIds.filter((id) => !this.#visited.has(id));
    const edges = this.#edges.filter((edge) => !this.#taken.has(edge.key));
    const statesCovered = this.#stateIds.length - states.length;
    const edgesCovered = this.#edges.length - edges.length;
    return {
      summary:
        `${this.machineId} machine${this.over ? ` (${this.over})` : ''}: state coverage ${fraction(statesCovered, this.#stateIds.length)}, ` +
        `transition coverage ${fraction(edgesCovered, this.#edges.length)}`,
      uncovered: [
        ...states.map((id) => `state node never entered: ${id}`),
        ...edges.map((edge) => `transition never taken: ${edge.label}`),
      ],
    };
  }

  #enter(actor: string, snapshot: unknown): void {
    const nodes = (snapshot as { _nodes?: readonly AnyStateNode[] })._nodes;
    if (!nodes) return;
    for (const node of nodes) this.#visited.add(node.id);
    this.#leaves.set(
      actor,
      nodes.filter((node) => node.type === 'atomic' || node.type === 'final'),
    );
  }
}

function definedTransitions(node: AnyStateNode): { transition: AnyTransitionDefinition; index: number }[] {
  const onEvents = [...node.transitions.values()].flatMap((list) =>
    list.map((transition, index) => ({ transition, index })),
  );
  const eventless = (node.always ?? []).map((transition, index) => ({ transition, index }));
  return [...onEvents, ...eventless];
}

// The position of a taken transition among its siblings: the runtime machine is a `.provide()`d
// copy, so the definitions are equal in shape but not the same objects as in the inventory.
function indexOf(transition: AnyTransitionDefinition): number {
  const source = transition.source;
  const siblings = source.transitions.get(transition.eventType) ?? [];
  const index = siblings.indexOf(transition);
  return index >= 0 ? index : (source.always ?? []).indexOf(transition);
}

function edgeKey(leaf: AnyStateNode, transition: AnyTransitionDefinition, index: number): string {
  return `${leaf.id}|${transition.source.id}|${transition.eventType || 'always'}|${index}`;
}

function leavesUnder(node: AnyStateNode): AnyStateNode[] {
  if (node.type === 'atomic') return [node];
  return getStateNodes(node).filter((child) => child.type === 'atomic');
}

function isUnder(leaf: AnyStateNode, ancestor: AnyStateNode): boolean {
  for (let node: AnyStateNode | undefined = leaf; node; node = node.parent) if (node === ancestor) return true;
  return false;
}

function describeTransition(leaf: AnyStateNode, transition: AnyTransitionDefinition): string {
  const inherited = leaf === transition.source ? '' : ` (defined on ${transition.source.id})`;
  const guard = transition.guard ? ` [${describeGuard(transition.guard)}]` : '';
  const targets = transition.target?.map((target) => target.id).join(', ');
  const actions = transition.actions
    .map((action) => (typeof action === 'string' ? action : (action as { type?: string }).type))
    .filter(Boolean)
    .join(', ');
  const to = targets ?? `(stays${actions ? `; ${actions}` : ''})`;
  return `${leaf.id} --${transition.eventType || 'always'}${guard}--> ${to}${inherited}`;
}

function describeGuard(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const combined = (guard as { guards?: unknown[] }).guards;
    return combined ? `${guard.name}(${combined.map(describeGuard).join(', ')})` : guard.name || 'inline guard';
  }
  if (guard && typeof guard === 'object' && 'type' in guard) return String(guard.type);
  return String(guard);
}

function fraction(covered: number, total: number): string {
  const percent = total === 0 ? 100 : Math.floor((100 * covered) / total);
  return `${covered}/${total} (${percent}%)`;
}
