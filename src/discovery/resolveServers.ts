import type { DiscoveredServer, DiscoveryReply } from '../../machines/discoveryMachine';
import type { DiscoveryResolver } from '../config/DiscoveryOptions';
import { discoveredServer } from './discoveredServer';
import { uniqueSorted } from './parseClusterConfig';

/** A name with no records of one family: that family adds nothing (the other may have some). */
const NO_RECORDS = new Set(['ENODATA']);

/**
 * Every A and AAAA record of `name`, each a server on `port`. Rejects when DNS fails for either
 * family (a list missing one family would remove its servers), or when there is no record at all.
 */
export async function resolveAddresses(
  resolver: DiscoveryResolver,
  name: string,
  port: number,
): Promise<DiscoveryReply> {
  const [v4, v6] = await Promise.all([recordsOrNone(resolver.resolve4(name)), recordsOrNone(resolver.resolve6(name))]);
  const addresses = [...v4, ...v6];
  if (addresses.length === 0) throw new Error(`DNS has no A or AAAA record for ${name}`);
  return listOf(
    addresses.map((address) => discoveredServer(address, port, 1)),
    addresses,
  );
}

/**
 * The SRV records of `name` of the lowest priority (the others are backups): target and port, the
 * record's weight as the server's share of the keys.
 */
export async function resolveSrvServers(resolver: DiscoveryResolver, name: string): Promise<DiscoveryReply> {
  const records = await resolver.resolveSrv(name);
  if (records.length === 0) throw new Error(`DNS has no SRV record for ${name}`);
  const first = Math.min(...records.map((record) => record.priority));
  const chosen = records.filter((record) => record.priority === first);
  return listOf(
    chosen.map((record) => discoveredServer(record.name, record.port, record.weight)),
    chosen.map((record) => `${record.name}:${record.port}`),
  );
}

async function recordsOrNone(answer: Promise<string[]>): Promise<string[]> {
  try {
    return await answer;
  } catch (err) {
    if (NO_RECORDS.has((err as { code?: string }).code ?? '')) return [];
    throw err;
  }
}

function listOf(servers: readonly (DiscoveredServer | undefined)[], given: readonly string[]): DiscoveryReply {
  const bad = servers.indexOf(undefined);
  if (bad >= 0)
    return { ok: false, reason: `DNS answered ${JSON.stringify(given[bad])}, which is not a server address` };
  return { ok: true, servers: uniqueSorted(servers as DiscoveredServer[]) };
}
