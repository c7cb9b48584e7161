/** What a step (or a key) does to the link. */
export type Action = 'kill' | 'blackhole' | 'slow' | 'restore';

export interface Step {
  /** When, as a fraction of the run's duration. */
  readonly at: number;
  readonly action: Action;
  /** What the demo says when it happens. */
  readonly say: string;
}

export interface Scenario {
  readonly description: string;
  readonly steps: readonly Step[];
}

/** The scripts `--scenario` picks from. With the default 30 s, `outage` breaks at 5 s, 11 s, mends at 18 s. */
export const SCENARIOS = {
  outage: {
    description: 'healthy, memcached killed, link black-holed, restored: heals by itself',
    steps: [
      { at: 5 / 30, action: 'kill', say: 'memcached is killed (SIGKILL)' },
      {
        at: 11 / 30,
        action: 'blackhole',
        say: 'memcached is back, but the link to it is black-holed: no answer gets through',
      },
      { at: 18 / 30, action: 'restore', say: 'the link is restored; nobody touches the client: it heals by itself' },
    ],
  },
  slow: {
    description: 'healthy, a slow link (answers 150 ms late), restored',
    steps: [
      { at: 5 / 30, action: 'slow', say: 'the link turns slow: every answer arrives 150 ms late' },
      { at: 18 / 30, action: 'restore', say: 'the link is fast again' },
    ],
  },
  manual: {
    description: 'no script: break and mend it with the keys',
    steps: [],
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
