/** A model the suite walks: its concrete states, what can happen in each, and how to name both. */
export interface WalkableModel<S, E> {
  readonly initial: S;
  transition(state: S, event: E): S;
  /** The events a user can cause in `state`; none in a final state. */
  events(state: S): readonly E[];
  /** The abstract state: concrete states that serialize alike are walked once. */
  serialize(state: S): string;
  describe(event: E): string;
}

/** A path of the model: the states it goes through, each with the event that led there. */
export interface WalkedPath<S, E> {
  /** `<final abstract state> <- <events>`, as the connection suite names its paths. */
  readonly name: string;
  readonly initial: S;
  readonly steps: readonly { readonly event: E; readonly state: S }[];
}

/**
 * One path per edge of the abstract graph: the breadth-first (so shortest) path to the edge's
 * source plus that edge, self-loops included. Edges are taken from the very concrete state the
 * path reaches, so every path replays exactly, even where one abstract state stands for concrete
 * states that offer different events (which xstate/graph's paths, rebuilt per abstract state, do not
 * promise).
 */
export function edgePaths<S, E>(model: WalkableModel<S, E>): WalkedPath<S, E>[] {
  type Steps = WalkedPath<S, E>['steps'];
  const name = (state: S, steps: Steps) =>
    `${model.serialize(state)} <- ${steps.map((step) => model.describe(step.event)).join(' > ')}`;
  const seen = new Set([model.serialize(model.initial)]);
  const queue: { state: S; steps: Steps }[] = [{ state: model.initial, steps: [] }];
  const paths: WalkedPath<S, E>[] = [];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const event of model.events(next.state)) {
      const state = model.transition(next.state, event);
      const steps = [...next.steps, { event, state }];
      paths.push({ name: name(state, steps), initial: model.initial, steps });
      const key = model.serialize(state);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push({ state, steps });
      }
    }
  }
  return paths;
}
