import type { Contender, ContenderName } from './contenders';
import { concurrentLatencies, interleave, sequentialLatencies, settlesWithin } from './measure';
import type { LatencySummary } from './stats';
import { summarize } from './stats';

export type OutageKind = 'refused' | 'blackhole';

export interface OutageSettings {
  readonly rounds: number;
  /** Calls per round for clients that fail fast. */
  readonly callsPerRound: number;
  /** Calls started together for clients that do not. */
  readonly slowCalls: number;
  /** How long to wait for a call, or for a client to reach its fail-fast mode. */
  readonly capMs: number;
}

export interface OutageResult {
  readonly kind: OutageKind;
  readonly contender: ContenderName;
  /** Whether the client reached a fail-fast mode (memjs has none). */
  readonly failFast: boolean;
  /** Latency per call in microseconds. */
  readonly latency: LatencySummary;
  /** Calls that had not answered after capMs (counted at capMs). */
  readonly unanswered: number;
}

/**
 * Per-call latency while the server is down, every contender against the same dead address.
 * Clients that fail fast are measured one call after another in interleaved rounds; clients that
 * don't (raw memjs, which retries every call) with a batch of calls started together, each capped.
 */
export async function outageSuite(
  kind: OutageKind,
  contenders: readonly Contender[],
  settings: OutageSettings,
  progress: (line: string) => void,
): Promise<OutageResult[]> {
  const fast: Contender[] = [];
  const results: OutageResult[] = [];
  for (const c of contenders) {
    const reached = c.becomeFailFast ? await settlesWithin(c.becomeFailFast(), settings.capMs) : false;
    if (reached) {
      fast.push(c);
      continue;
    }
    const { micros, unanswered } = await concurrentLatencies(
      () => c.get('bench:down'),
      settings.slowCalls,
      settings.capMs,
    );
    results.push({ kind, contender: c.name, failFast: false, latency: summarize(micros), unanswered });
  }
  const rounds = new Map<ContenderName, Float64Array[]>(fast.map((c) => [c.name, []]));
  const hung = new Set<ContenderName>();
  await interleave(fast, settings.rounds, async (c) => {
    if (hung.has(c.name)) return 0;
    const round = await sequentialLatencies(() => c.get('bench:down'), settings.callsPerRound, settings.capMs);
    if (round.hung) hung.add(c.name);
    rounds.get(c.name)!.push(round.micros);
    return 0;
  });
  for (const c of fast) {
    const all = concat(rounds.get(c.name)!);
    results.push({
      kind,
      contender: c.name,
      failFast: true,
      latency: summarize(all),
      unanswered: hung.has(c.name) ? 1 : 0,
    });
  }
  for (const r of results) {
    progress(
      `${kind} ${r.contender}: p50 ${r.latency.p50.toFixed(1)} us, p99 ${r.latency.p99.toFixed(1)} us, max ${r.latency.max.toFixed(0)} us`,
    );
  }
  return contenders.map((c) => results.find((r) => r.contender === c.name)!);
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
