import memjs from 'memjs';
import type { ServerPicker, WeightedServer } from './Distribution';
import { weightedBuckets } from './weightedBuckets';

// memjs's own hash (a Java-style 31 * h + UTF-16 code unit, absolute value), taken from memjs itself
// so the two can never drift apart.
const { hashCode } = (memjs as unknown as { Utils: { hashCode(key: string): number } }).Utils;

/**
 * memjs's default `hashCode(key) % servers.length`, for users moving from plain memjs with the same
 * server list in the same order. A server of weight w fills w consecutive buckets; with every weight 1
 * this is memjs exactly.
 */
export function memjsHash(servers: readonly WeightedServer[]): ServerPicker {
  const buckets = weightedBuckets(servers);
  if (buckets.length === 1) return () => 0;
  return (key) => buckets[hashCode(key) % buckets.length] as number;
}
