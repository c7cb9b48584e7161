import { describe, expect, it } from 'vitest';
import { interleave } from '../../../bench/measure';

// What the benchmark's ratios rest on: every item measured once a round, never twice in a row
// (a connection kept busy straight on runs slower than one that idled: bench/measure.ts).
async function orderOf(items: number, rounds: number): Promise<{ order: number[]; samples: number[][] }> {
  const order: number[] = [];
  const samples = await interleave(
    Array.from({ length: items }, (_, i) => i),
    rounds,
    async (item, round) => {
      order.push(item);
      return round * 100 + item;
    },
  );
  return { order, samples };
}

describe('interleave', () => {
  it.each([2, 3, 7])('measures each of %i items once a round, none twice in a row', async (items) => {
    const { order, samples } = await orderOf(items, 9);
    for (let round = 0; round < 9; round++) {
      expect(new Set(order.slice(round * items, (round + 1) * items)).size).toBe(items);
    }
    for (let k = 1; k < order.length; k++) expect(order[k]).not.toBe(order[k - 1]);
    // samples[item][round] is what that item measured in that round.
    expect(samples[1]).toEqual(Array.from({ length: 9 }, (_, round) => round * 100 + 1));
  });

  it('gives each item both neighbours over the rounds', async () => {
    const { order } = await orderOf(4, 4);
    const before = new Map<number, Set<number>>();
    for (let k = 1; k < order.length; k++) {
      const item = order[k]!;
      before.set(item, (before.get(item) ?? new Set()).add(order[k - 1]!));
    }
    for (let item = 0; item < 4; item++) {
      expect(before.get(item)).toContain((item + 1) % 4);
      expect(before.get(item)).toContain((item + 3) % 4);
    }
  });
});
