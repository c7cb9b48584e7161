// npm run demo: a read-through cache through reconnecting-memcached and through plain memjs, side
// by side, while memcached breaks on a script (or by hand). See `npm run demo -- --help`.
import { createClient } from '../src/client/createClient';
import { InvalidOptionError } from '../src/core/errors';
import { startInspector } from '../src/inspect';
import { parseDemoArgs, USAGE } from './args';
import { Backend, type Fault } from './Backend';
import type { CallStats } from './CallStats';
import { JsonView } from './JsonView';
import { LogView } from './LogView';
import { Monitor } from './Monitor';
import { PanelView } from './PanelView';
import { type Action, SCENARIOS } from './scenarios';
import { summarize } from './summary';
import type { Live, Side, View } from './View';
import { CALLS_PER_SECOND, LOOKUP_MS, Workload } from './Workload';

/** The client under demonstration: short delays so the whole story fits in about 30 s. */
const CLIENT_OPTIONS = {
  timeoutMs: 100,
  allowedFailuresBeforeHealing: 5,
  recoveryDelayMs: 250,
  maxRecoveryDelayMs: 1000,
} as const;

const FAULT_OF: Record<Action, Fault> = { kill: 'killed', blackhole: 'blackhole', slow: 'slow', restore: 'none' };
const KEYS: Record<string, Action> = { k: 'kill', b: 'blackhole', s: 'slow', r: 'restore' };
const KEY_SAY: Record<Action, string> = {
  kill: 'memcached is killed',
  blackhole: 'the link is black-holed',
  slow: 'the link turns slow',
  restore: 'everything is restored',
};

function side(stats: CallStats, now: number): Side {
  return { counts: stats.counts, recent: stats.recent(now), oldestWaitingMs: stats.oldestPending(now) };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !args.json;
  const scenario = SCENARIOS[args.scenario];
  const durationMs = args.durationS * 1000;

  const backend = await Backend.start(args.server);
  const cache = createClient({ servers: backend.servers, ...CLIENT_OPTIONS });
  const monitor = new Monitor(cache);
  const workload = new Workload(cache, backend.servers);
  const view: View = args.json ? new JsonView() : interactive ? new PanelView(backend.describe(), true) : new LogView();
  const o = CLIENT_OPTIONS;
  if (!interactive) view.info(`reconnecting-memcached demo: ${backend.describe()}; scenario ${args.scenario}`);
  view.info(`traffic: ${CALLS_PER_SECOND} read-through calls/s per client; ${LOOKUP_MS} ms lookup on a miss or not-ok`);
  view.info(
    `client: ${o.timeoutMs} ms deadline; heals after ${o.allowedFailuresBeforeHealing} failures; probes ${o.recoveryDelayMs / 1000} to ${(2 * o.maxRecoveryDelayMs) / 1000} s apart`,
  );
  monitor.onEvent((event) => view.event(event));

  const cleanup: Array<() => unknown> = [];
  try {
    const inspector = args.inspect
      ? await startInspector(cache, { print: (line) => view.info(line), redact: backend.secrets })
      : undefined;
    if (inspector) cleanup.push(() => inspector.stop());

    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // Faults are applied one after the other, in the order they were asked for.
    let applying = Promise.resolve();
    const apply = (action: Action, say: string, by: 'script' | 'key') => {
      applying = applying.then(async () => {
        // Logged as it starts, so that detection and healing times include the fault's own setup.
        monitor.fault(FAULT_OF[action], (action === 'kill' && backend.killSays) || say, by);
        await backend[action]();
      });
    };

    const timers: NodeJS.Timeout[] = [];
    cleanup.push(() => {
      for (const timer of timers) clearTimeout(timer);
    });
    let manual = args.scenario === 'manual';
    for (const step of scenario.steps) {
      timers.push(setTimeout(() => apply(step.action, step.say, 'script'), step.at * durationMs));
    }
    // On a terminal a person may be driving or watching the inspector: then only `q` ends the run.
    const endsByItself = () => !interactive || (!manual && !args.inspect);
    timers.push(
      setTimeout(() => {
        if (endsByItself()) finish();
      }, durationMs),
    );

    const script = (t: number): string => {
      if (manual) return 'script off: keys drive it, q quits';
      const next = scenario.steps.find((step) => step.at * durationMs > t);
      if (next) return `next: ${next.action} in ${((next.at * durationMs - t) / 1000).toFixed(1)} s`;
      return endsByItself() ? `ends in ${(Math.max(0, durationMs - t) / 1000).toFixed(1)} s` : 'script done: q quits';
    };
    const live = (): Live => {
      const now = performance.now();
      return {
        t: monitor.now(),
        connection: monitor.connection(),
        fault: backend.faultLabel,
        ours: side(workload.ours, now),
        memjs: side(workload.memjs, now),
        events: monitor.events,
        script: script(monitor.now()),
      };
    };

    if (interactive) {
      const onKey = (data: Buffer) => {
        const key = data.toString();
        if (key === 'q' || key === '\u0003') return finish();
        const action = KEYS[key];
        if (!action) return;
        if (!manual) {
          manual = true;
          for (const timer of timers) clearTimeout(timer);
        }
        apply(action, KEY_SAY[action], 'key');
      };
      process.stdin.setRawMode(true);
      process.stdin.on('data', onKey);
      process.stdin.resume();
      cleanup.push(() => {
        process.stdin.off('data', onKey);
        process.stdin.setRawMode(false);
        process.stdin.pause();
      });
    }
    let interrupts = 0;
    const onSignal = () => {
      // The first Ctrl-C ends the run cleanly (summary, memcached stopped); a second one insists.
      if (++interrupts > 1) process.exit(130);
      finish();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    cleanup.push(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });

    workload.start();
    const ticker = setInterval(() => view.update(live()), view.interval);
    cleanup.push(() => clearInterval(ticker));
    await finished;

    for (const timer of timers) clearTimeout(timer);
    await applying;
    await workload.stop();
    const end = live();
    view.summary(
      summarize(monitor.events, workload, end.t, (t) => monitor.clock(t)),
      end,
    );
  } finally {
    for (const step of cleanup.reverse()) await step();
    await workload.stop(); // again, for the way out through an exception
    monitor.dispose();
    await cache.close();
    // The proxy goes before memjs so that nothing memjs retries can reach memcached again.
    await backend.close();
    workload.close();
    view.close();
  }
}

main().catch((err) => {
  if (err instanceof InvalidOptionError) {
    console.error(`demo: ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error('demo failed:', err);
    process.exitCode = 1;
  }
});
