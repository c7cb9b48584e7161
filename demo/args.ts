import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './scenarios';

export interface DemoArgs {
  readonly scenario: ScenarioName;
  /** Seconds the run lasts; the scripted steps are spread over it. */
  readonly durationS: number;
  /** An existing memcached, `[user:pass@]host:port`, instead of one started by the demo. */
  readonly server: string | undefined;
  readonly json: boolean;
  readonly inspect: boolean;
}

export const USAGE = `Usage: npm run demo -- [options]

Runs a read-through cache through reconnecting-memcached and through plain memjs side by side,
breaks memcached on a script (or by hand), and shows what each costs.

  --scenario <name>   ${Object.entries(SCENARIOS)
    .map(([name, scenario]) => `${name}: ${scenario.description}`)
    .join('\n                      ')}
                      (default: outage)
  --duration <s>      length of the run in seconds; the script's steps are spread over it (default 30)
  --servers <addr>    use an existing memcached, [user:pass@]host:port, instead of starting one
  --json              one JSON object per line (events, stats every second, summary) for scripts
  --inspect           stream the state machine to the Stately inspector (prints a local URL)
  --help              this text

On a terminal, keys drive it by hand: k kill memcached, b black-hole the link, s slow link,
r restore, q quit. Pressing a fault key stops the script.`;

/** Parses the command line. Throws with a message for the user on a bad flag. */
export function parseDemoArgs(argv: string[]): DemoArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: { type: 'string', default: 'outage' },
      duration: { type: 'string', default: '30' },
      servers: { type: 'string' },
      json: { type: 'boolean', default: false },
      inspect: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const scenario = values.scenario;
  if (!Object.hasOwn(SCENARIOS, scenario)) {
    throw new Error(`unknown scenario "${scenario}"; one of ${Object.keys(SCENARIOS).join(', ')}`);
  }
  const durationS = Number(values.duration);
  if (!Number.isFinite(durationS) || durationS < 3 || durationS > 24 * 3600) {
    throw new Error(`--duration must be a number of seconds from 3 to 86400, got "${values.duration}"`);
  }
  if (values.servers?.includes(',')) throw new Error('--servers takes one memcached: the demo proxies one link');
  return {
    scenario: scenario as ScenarioName,
    durationS,
    server: values.servers,
    json: values.json,
    inspect: values.inspect,
  };
}
