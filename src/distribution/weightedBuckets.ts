import type { WeightedServer } from './Distribution';

/** One bucket per unit of weight, in server order: `[0, 1, 1]` for weights 1 and 2. */
export function weightedBuckets(servers: readonly WeightedServer[]): Uint32Array {
  const buckets: number[] = [];
  servers.forEach((server, index) => {
    for (let i = 0; i < server.weight; i++) buckets.push(index);
  });
  return Uint32Array.from(buckets);
}
