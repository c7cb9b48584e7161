/** Where a read-through call got its answer. */
export type Outcome = 'hit' | 'miss' | 'fallback';

interface Call {
  readonly start: number;
  end?: number;
  outcome?: Outcome;
}

export interface LatencyStats {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface WindowSummary {
  /** Calls started in the window. */
  readonly calls: number;
  readonly fallback: number;
  /** Calls that never answered (still pending when the summary was taken). */
  readonly hung: number;
  /** Latency of the calls started in the window; a hung call counts with its age so far. */
  readonly latency: LatencyStats;
  /** Sum of the calls' latencies: the time callers spent waiting, ms. */
  readonly waitedMs: number;
}

/**
 * Every call of one read-through cache, for the panel's live numbers and the final summary.
 * Times are `performance.now()` milliseconds.
 */
export class CallStats {
  // In start order, for summaries by start time.
  readonly #calls: Call[] = [];
  // In end order, so the live window reads only the tail.
  readonly #ended: Call[] = [];
  readonly #pending = new Set<Call>();
  readonly #counts = { hit: 0, miss: 0, fallback: 0 };

  begin(now: number): Call {
    const call: Call = { start: now };
    this.#calls.push(call);
    this.#pending.add(call);
    return call;
  }

  finish(call: Call, now: number, outcome: Outcome): void {
    call.end = now;
    call.outcome = outcome;
    this.#counts[outcome]++;
    this.#pending.delete(call);
    this.#ended.push(call);
  }

  get counts(): { readonly hit: number; readonly miss: number; readonly fallback: number; readonly pending: number } {
    return { ...this.#counts, pending: this.#pending.size };
  }

  /** Latency of the calls that ended in the last `windowMs`. */
  recent(now: number, windowMs = 1000): LatencyStats {
    const samples: number[] = [];
    for (let i = this.#ended.length - 1; i >= 0; i--) {
      const call = this.#ended[i] as Call;
      if ((call.end as number) < now - windowMs) break;
      samples.push((call.end as number) - call.start);
    }
    return latencyStats(samples);
  }

  /** How long the oldest call still pending has been waiting, ms (0 when none is). */
  oldestPending(now: number): number {
    let oldest = 0;
    for (const call of this.#pending) oldest = Math.max(oldest, now - call.start);
    return oldest;
  }

  /** The calls started in [from, to). */
  between(from: number, to: number, now: number): WindowSummary {
    const samples: number[] = [];
    let fallback = 0;
    let hung = 0;
    for (const call of this.#calls) {
      if (call.start < from || call.start >= to) continue;
      if (call.end === undefined) hung++;
      if (call.outcome === 'fallback') fallback++;
      samples.push((call.end ?? now) - call.start);
    }
    return {
      calls: samples.length,
      fallback,
      hung,
      latency: latencyStats(samples),
      waitedMs: samples.reduce((sum, ms) => sum + ms, 0),
    };
  }

  /** When the first call started at or after `from` got an answer from memcached (hit or miss). */
  firstAnswerAfter(from: number): number | undefined {
    let first: number | undefined;
    for (const call of this.#calls) {
      if (call.start < from || call.outcome === undefined || call.outcome === 'fallback') continue;
      if (first === undefined || (call.end as number) < first) first = call.end;
    }
    return first;
  }
}

function latencyStats(samples: number[]): LatencyStats {
  if (samples.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
  return { count: samples.length, p50: at(0.5), p99: at(0.99), max: samples[samples.length - 1] as number };
}
