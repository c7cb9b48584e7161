import { describe, expect, it } from 'vitest';
import { pairedRatioInterval } from '../../../bench/stats';
import { seededRandom as seeded } from '../../support/Traffic';

// The parity suite's target rests on this interval: it must bracket the median of the ratios' own
// distribution about 95 times in 100, whatever that distribution.

describe('pairedRatioInterval', () => {
  it('takes the median of the per-round ratios and the order statistics at n/2 -+ 0.98 sqrt(n)', () => {
    // Ratios 1..100, shuffled: ranks 40 and 61 (1-based) for 100 rounds.
    const random = seeded(1);
    const a = Array.from({ length: 100 }, (_, i) => 2 * (i + 1)).sort(() => random() - 0.5);
    const b = a.map(() => 2);
    expect(pairedRatioInterval(a, b)).toEqual({ median: 50.5, low: 40, high: 61 });
  });

  it('pairs round by round and ignores the longer series tail', () => {
    expect(pairedRatioInterval([4, 9, 1, 1, 1, 1, 1, 1, 1, 99], [2, 3, 1, 1, 1, 1, 1, 1, 1]).median).toBe(1);
  });

  it('gives no bounds for under 8 rounds, where the ranks fall outside the sample', () => {
    const interval = pairedRatioInterval([1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1, 1]);
    expect(interval.median).toBe(4);
    expect(interval.low).toBeNaN();
    expect(interval.high).toBeNaN();
    expect(pairedRatioInterval([1, 2, 3, 4, 5, 6, 7, 8], Array(8).fill(1)).low).toBe(1);
  });

  // A log-normal (Box-Muller), median 1; and 1 + u^4, skewed, median 1 + 0.5^4.
  it.each([
    [
      'log-normal',
      (r: () => number) => Math.exp(0.2 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())),
      1,
    ],
    ['skewed', (r: () => number) => 1 + r() ** 4, 1 + 0.5 ** 4],
  ])('covers the true median about 95 times in 100 (%s ratios, 300 rounds)', (_, draw, truth) => {
    const random = seeded(7);
    const trials = 400;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 300 }, () => draw(random));
      const { low, high } = pairedRatioInterval(a, Array(300).fill(1));
      if (low <= truth && truth <= high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
    expect(covered / trials).toBeLessThan(0.98);
  });
});
