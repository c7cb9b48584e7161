import type { Attributes } from '@opentelemetry/api';

/** What OpenTelemetry's database conventions call this system (`db.system.name`). */
export const DB_SYSTEM = 'memcached';

/**
 * `server.address` and `server.port` of a server id as the client reports it: `host:port`,
 * `[v6]:port`, or a UNIX socket's path (an address without a port, as the conventions show).
 */
export function serverAttributes(server: string): Attributes {
  if (server.startsWith('/')) return { 'server.address': server };
  const colon = server.lastIndexOf(':');
  const port = Number(server.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return { 'server.address': server };
  const host = server.slice(0, colon);
  const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return { 'server.address': address, 'server.port': port };
}
