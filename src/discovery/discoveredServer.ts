import type { DiscoveredServer } from '../../machines/discoveryMachine';
import { MAX_WEIGHT, parseServers } from '../config/parseServers';

/**
 * A discovered `host` and `port` as the pool will take it, or undefined when `setServers` would
 * refuse it (so a bad entry makes the whole answer unreadable instead of half-applied). The weight
 * is brought into 1..MAX_WEIGHT.
 */
export function discoveredServer(host: string, port: number, weight: number): DiscoveredServer | undefined {
  if (host === '' || host.includes('@') || host.includes(',') || host.startsWith('/')) return undefined;
  const text = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  try {
    const [address] = parseServers([text]);
    if (address === undefined || address.port !== port) return undefined;
    return { id: address.id, weight: Math.min(MAX_WEIGHT, Math.max(1, Math.round(weight))) };
  } catch {
    return undefined;
  }
}
