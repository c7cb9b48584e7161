/**
 * The discovery model: an oracle written apart from the machine, from what docs/discovery.md
 * promises. The endpoint's next answer is chosen with the event that lets the next poll go out.
 */

/** What the configuration endpoint does with the next poll. */
export type EndpointAnswer =
  /** A newer version with a different list. */
  | 'new list'
  /** A newer version with the list in force. */
  | 'same list'
  /** A different list under the version in force: not newer, so nothing changes. */
  | 'stale list'
  /** Something that is not a configuration. */
  | 'unreadable'
  /** Connections refused. */
  | 'refused'
  /** Reads the request and never answers. */
  | 'hang';

export type DiscoveryModelEvent =
  /** The pending wait (interval or backoff) ends and the poll meets `answer`. */
  | { readonly type: 'POLL'; readonly answer: EndpointAnswer }
  /** A hung poll reaches its deadline. */
  | { readonly type: 'POLL.TIMEOUT' }
  | { readonly type: 'CLOSE' };

export type DiscoveryModelValue = 'polling' | 'waiting' | 'backingOff' | 'stopped';

/** The two lists the endpoint moves between. */
export const LISTS = [['alpha.test:11211'], ['beta.test:11211', 'gamma.test:11211']] as const;

export interface DiscoveryModelState {
  readonly value: DiscoveryModelValue;
  /** Index in LISTS of the list in force; undefined before the first. */
  readonly list: 0 | 1 | undefined;
  readonly version: number | undefined;
  /** Consecutive failed polls. */
  readonly attempt: number;
  /** What the last step made the machine report, in order. */
  readonly reports: readonly string[];
}

/** The client starts with no servers, its first poll meeting an endpoint that hangs. */
export const INITIAL: DiscoveryModelState = {
  value: 'polling',
  list: undefined,
  version: undefined,
  attempt: 0,
  reports: [],
};

export function discoveryEvents(state: DiscoveryModelState): DiscoveryModelEvent[] {
  if (state.value === 'stopped') return [];
  if (state.value === 'polling') return [{ type: 'POLL.TIMEOUT' }, { type: 'CLOSE' }];
  const answers: EndpointAnswer[] = ['new list', 'unreadable', 'refused', 'hang'];
  if (state.list !== undefined) answers.push('same list', 'stale list');
  return [...answers.map((answer) => ({ type: 'POLL' as const, answer })), { type: 'CLOSE' }];
}

/** The next version the endpoint serves for `answer` (the one in force for a stale list). */
export function versionServed(state: DiscoveryModelState, answer: EndpointAnswer): number {
  return answer === 'stale list' ? (state.version as number) : (state.version ?? 0) + 1;
}

/** The list the endpoint serves for `answer`. */
export function listServed(state: DiscoveryModelState, answer: EndpointAnswer): 0 | 1 {
  if (answer === 'same list') return state.list as 0 | 1;
  return state.list === 0 ? 1 : 0;
}

export function discoveryTransition(state: DiscoveryModelState, event: DiscoveryModelEvent): DiscoveryModelState {
  const failed = (report: string): DiscoveryModelState => ({
    ...state,
    value: 'backingOff',
    attempt: state.attempt + 1,
    reports: [report, 'retry.scheduled'],
  });
  switch (event.type) {
    case 'CLOSE':
      return { ...state, value: 'stopped', reports: ['stopped'] };
    case 'POLL.TIMEOUT':
      return failed('poll.failed');
    default:
      break;
  }
  const { answer } = event;
  switch (answer) {
    case 'hang':
      return { ...state, value: 'polling', reports: [] };
    case 'refused':
      return failed('poll.failed');
    case 'unreadable':
      return failed('reply.invalid');
    case 'stale list':
      return { ...state, value: 'waiting', attempt: 0, reports: ['unchanged'] };
    case 'same list':
      return { ...state, value: 'waiting', attempt: 0, version: versionServed(state, answer), reports: ['unchanged'] };
    default:
      return {
        value: 'waiting',
        list: listServed(state, answer),
        version: versionServed(state, answer),
        attempt: 0,
        reports: ['applied'],
      };
  }
}

/** Concrete states alike but for counts and which list is in force are one abstract state. */
export function abstractDiscoveryState(state: DiscoveryModelState): string {
  if (state.value === 'stopped') return 'stopped';
  const list = state.list === undefined ? 'no list yet' : 'a list';
  return `${state.value}, ${list}${state.attempt > 0 ? ', after a failure' : ''}`;
}

export function describeDiscoveryEvent(event: DiscoveryModelEvent): string {
  if (event.type === 'POLL') return `poll meets ${event.answer}`;
  return event.type === 'CLOSE' ? 'close()' : 'poll times out';
}
