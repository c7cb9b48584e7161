import type { Fault } from './Backend';
import type { CallStats, WindowSummary } from './CallStats';
import type { DemoEvent } from './Monitor';

/** One outage: from the first fault to the client being connected again after the link was restored. */
export interface Episode {
  readonly fault: Fault;
  /** What the demo said when the fault began. */
  readonly say: string;
  readonly faultAt: number;
  /** When the client stopped calling memcached (entered `reconnecting`). */
  readonly detectedAt: number | undefined;
  /** The client was reconnecting already when the fault began (memcached was unreachable from the start). */
  readonly alreadyDown: boolean;
  readonly restoredAt: number | undefined;
  /** When the client was connected again after the restore, on its own. */
  readonly healedAt: number | undefined;
}

export interface Comparison {
  /** Demo time (ms) of the window the calls were started in. */
  readonly from: number;
  readonly to: number;
  readonly ours: WindowSummary;
  readonly memjs: WindowSummary;
  /** ms from the restore to the first call answered by memcached, for each client. */
  readonly oursFirstAnswerMs: number | undefined;
  readonly memjsFirstAnswerMs: number | undefined;
}

export interface Summary {
  readonly episodes: readonly Episode[];
  /** Over the first episode: the calls both clients were given while memcached was unusable. */
  readonly comparison: Comparison | undefined;
}

/** Cuts the event log into outage episodes. */
export function episodes(events: readonly DemoEvent[]): Episode[] {
  const result: Episode[] = [];
  let open: { -readonly [K in keyof Episode]: Episode[K] } | undefined;
  let state = 'connected';
  for (const event of events) {
    if (event.type === 'state') {
      state = event.to;
      if (!open) continue;
      if (event.to === 'reconnecting') open.detectedAt ??= event.t;
      if (event.to === 'connected' && open.restoredAt !== undefined) {
        open.healedAt = event.t;
        result.push(open);
        open = undefined;
      }
    } else if (event.type === 'fault') {
      if (event.fault !== 'none') {
        if (open) open.restoredAt = undefined;
        else
          open = {
            fault: event.fault,
            say: event.say,
            faultAt: event.t,
            detectedAt: state === 'reconnecting' ? event.t : undefined,
            alreadyDown: state === 'reconnecting',
            restoredAt: undefined,
            healedAt: undefined,
          };
      } else if (open) {
        open.restoredAt = event.t;
        // Restored while connected (the fault never stopped the calls, e.g. a link slower than memjs
        // but within the deadline): nothing left to heal.
        if (state === 'connected') {
          open.healedAt = event.t;
          result.push(open);
          open = undefined;
        }
      }
    }
  }
  if (open) result.push(open);
  return result;
}

/**
 * The summary of a run. `now` is demo time at the end; `clock` turns demo time into the
 * `performance.now()` readings the call stats use.
 */
export function summarize(
  events: readonly DemoEvent[],
  stats: { readonly ours: CallStats; readonly memjs: CallStats },
  now: number,
  clock: (t: number) => number,
): Summary {
  const all = episodes(events);
  const first = all[0];
  if (!first) return { episodes: all, comparison: undefined };
  const from = first.faultAt;
  const to = first.healedAt ?? now;
  const firstAnswer = (calls: CallStats) => {
    if (first.restoredAt === undefined) return undefined;
    const answered = calls.firstAnswerAfter(clock(first.restoredAt));
    return answered === undefined ? undefined : answered - clock(first.restoredAt);
  };
  return {
    episodes: all,
    comparison: {
      from,
      to,
      ours: stats.ours.between(clock(from), clock(to), clock(now)),
      memjs: stats.memjs.between(clock(from), clock(to), clock(now)),
      oursFirstAnswerMs: firstAnswer(stats.ours),
      memjsFirstAnswerMs: firstAnswer(stats.memjs),
    },
  };
}

export function ms(value: number): string {
  if (value >= 100_000) return `${Math.round(value / 1000)} s`;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 10) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function seconds(t: number): string {
  return `${(t / 1000).toFixed(1)} s`;
}

/** The summary as text lines for a person. */
export function summaryLines(summary: Summary): string[] {
  const lines = ['', 'Summary, measured in this run: the same calls through both clients'];
  if (summary.episodes.length === 0) {
    lines.push('  no outage happened.');
    return lines;
  }
  summary.episodes.forEach((episode, i) => {
    lines.push(`  outage ${i + 1} at ${seconds(episode.faultAt)}: ${episode.say}`);
    if (episode.alreadyDown) lines.push('    memcached was unreachable before: the client was reconnecting already');
    else if (episode.detectedAt === undefined) lines.push('    never detected: the calls kept answering in time');
    else
      lines.push(
        `    detected in ${ms(episode.detectedAt - episode.faultAt)} (reconnecting at ${seconds(episode.detectedAt)})`,
      );
    if (episode.restoredAt === undefined) lines.push('    not restored before the end');
    else if (episode.healedAt === undefined)
      lines.push(`    restored at ${seconds(episode.restoredAt)}; not healed before the end`);
    else {
      const healMs = episode.healedAt - episode.restoredAt;
      lines.push(`    restored at ${seconds(episode.restoredAt)}; healed by itself ${ms(healMs)} later`);
    }
  });
  const c = summary.comparison;
  if (!c) return lines;
  const afterRestore = (value: number | undefined) => (value === undefined ? 'none' : ms(value));
  const worst = (w: WindowSummary) => `${ms(w.latency.max)}${w.hung > 0 ? ' (waiting)' : ''}`;
  const all: Array<[string, string, string]> = [
    [`calls while down (${seconds(c.from)} to ${seconds(c.to)})`, String(c.ours.calls), String(c.memjs.calls)],
    ['answered by the fallback', String(c.ours.fallback), String(c.memjs.fallback)],
    ['never answered', String(c.ours.hung), String(c.memjs.hung)],
    ['median call latency', ms(c.ours.latency.p50), ms(c.memjs.latency.p50)],
    ['worst call latency', worst(c.ours), worst(c.memjs)],
    ["callers' total wait", ms(c.ours.waitedMs), ms(c.memjs.waitedMs)],
    ['first answer after restore', afterRestore(c.oursFirstAnswerMs), afterRestore(c.memjsFirstAnswerMs)],
  ];
  const rows = all.filter(([label, ours, memjs]) => label !== 'never answered' || ours !== '0' || memjs !== '0');
  const width = Math.max(...rows.map(([label]) => label.length));
  lines.push('', `  ${''.padEnd(width)}  ${'reconnecting-memcached'.padEnd(24)}plain memjs 1.3.2`);
  for (const [label, ours, memjs] of rows) lines.push(`  ${label.padEnd(width)}  ${ours.padEnd(24)}${memjs}`);
  lines.push(
    '',
    "  A call's latency includes the 10 ms lookup when the cache cannot answer.",
    '  memjs (defaults) retries a failed call once, 200 ms later; its 0.5 s timeout',
    '  is an idle timer on the socket, which steady traffic keeps resetting: through',
    '  a black-holed link its calls wait until the link is back.',
  );
  return lines;
}
