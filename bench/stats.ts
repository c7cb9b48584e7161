/** The middle value (the mean of the two middle ones for an even count). NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (`p` in [0, 100]) of values already sorted ascending. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** p50/p99/max of latencies (any unit). Sorts a copy. */
export function summarize(latencies: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: percentileSorted(sorted, 50),
    p99: percentileSorted(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/**
 * The median of per-round ratios a[i] / b[i]. Rounds of a and b ran next to each other, so each
 * ratio compares them under the same machine load: on a shared, noisy machine this is steadier
 * than the ratio of two medians.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(a[i]! / b[i]!);
  return median(ratios);
}

/** A median, with the bounds of its 95% confidence interval. */
export interface Interval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/**
 * `pairedRatio`, with a 95% confidence interval for the median that assumes nothing of the
 * ratios' distribution: the order statistics at ranks n/2 -+ 0.98 sqrt(n) (1-based, the
 * binomial's normal approximation). NaN bounds for under 8 rounds, too few for one.
 */
export function pairedRatioInterval(a: readonly number[], b: readonly number[]): Interval {
  const n = Math.min(a.length, b.length);
  const sorted = Array.from({ length: n }, (_, i) => a[i]! / b[i]!).sort((x, y) => x - y);
  const spread = 0.98 * Math.sqrt(n);
  const low = Math.floor(n / 2 - spread);
  const high = Math.ceil(1 + n / 2 + spread);
  const bounded = low >= 1 && high <= n;
  return {
    median: median(sorted),
    low: bounded ? sorted[low - 1]! : Number.NaN,
    high: bounded ? sorted[high - 1]! : Number.NaN,
  };
}
