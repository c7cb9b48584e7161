import { SimulatedClock } from 'xstate';
import type { StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import { parseServers } from '../../src/config/parseServers';
import { createDistribution } from '../../src/distribution/createDistribution';
import type { DistributionName } from '../../src/distribution/Distribution';
import { FakeCluster } from './FakeMemcached';

export const TIMEOUT = 100;
export const IDS = ['a:11211', 'b:11211', 'c:11211'];

/**
 * A client over one FakeMemcached per server (`IDS` unless told), on a simulated clock, that heals
 * after `allowed` failures; `changes` is what it reported to subscribe.
 */
export function clusterClient(options: { servers?: string[]; distribution?: DistributionName; allowed?: number } = {}) {
  const cluster = new FakeCluster();
  const clock = new SimulatedClock();
  const servers = options.servers ?? IDS;
  const cache = createClientWithPort(
    {
      servers,
      distribution: options.distribution,
      timeoutMs: TIMEOUT,
      allowedFailuresBeforeHealing: options.allowed ?? 2,
      recoveryDelayMs: 1000,
      maxRecoveryDelayMs: 8000,
      clock,
    },
    cluster.factory,
    { random: () => 0 },
  );
  const changes: StateChange[] = [];
  cache.subscribe((change) => changes.push(change));
  return { cluster, clock, cache, changes };
}

/** `count` keys that `distribution` puts on `id`, computed from the pure picker, not the client. */
export function keysOn(id: string, count: number, servers = IDS, distribution: DistributionName = 'ketama'): string[] {
  const list = parseServers(servers);
  const pick = createDistribution(
    distribution,
    list.map((s) => ({ host: s.host, port: s.port, weight: s.weight ?? 1 })),
  );
  const index = servers.indexOf(id);
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) if (pick(`key:${i}`) === index) keys.push(`key:${i}`);
  return keys;
}

/** Takes server `id` down: its calls fail at the socket until the limit is reached. */
export async function bringDown(t: ReturnType<typeof clusterClient>, id: string) {
  t.cluster.server(id).mode = 'refusing';
  const key = keysOn(id, 1)[0]!;
  while (t.cache.servers().find((s) => s.server === id)?.state !== 'reconnecting') await t.cache.get(key);
}
