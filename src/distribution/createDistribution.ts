import type { DistributionName, ServerPicker, WeightedServer } from './Distribution';
import { ketama } from './ketama';
import { ketamaUnweighted } from './ketamaUnweighted';
import { memjsHash } from './memjsHash';
import { modula } from './modula';

const BUILDERS: Record<DistributionName, (servers: readonly WeightedServer[]) => ServerPicker> = {
  ketama,
  'ketama-unweighted': ketamaUnweighted,
  modula,
  memjs: memjsHash,
};

/** The picker for `name` over `servers` (at least one; the options check names and weights). */
export function createDistribution(name: DistributionName, servers: readonly WeightedServer[]): ServerPicker {
  return BUILDERS[name](servers);
}
