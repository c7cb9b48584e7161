import type { DiscoveredServer, DiscoveryReply } from '../../machines/discoveryMachine';
import { discoveredServer } from './discoveredServer';

const HEADER = /^CONFIG cluster 0 (\d+)\r\n/;
const TRAILER = '\r\nEND\r\n';

/**
 * Reads the answer to `config get cluster`: `CONFIG cluster 0 <bytes>\r\n`, then `<bytes>` bytes
 * holding a version line and a line of space-separated `host|ip|port` entries, then `\r\nEND\r\n`.
 * The IP is preferred when given (the host name then needs no lookup). Anything else is not a list.
 */
export function parseClusterConfig(reply: Buffer): DiscoveryReply {
  const text = reply.toString('latin1');
  const header = HEADER.exec(text);
  if (!header) return invalid(`expected "CONFIG cluster 0 <bytes>", got ${quote(firstLine(text))}`);
  const start = header[0].length;
  const end = start + Number(header[1]);
  if (text.length !== end + TRAILER.length || text.slice(end) !== TRAILER) {
    return invalid(`the body is not ${header[1]} bytes followed by END`);
  }
  const lines = text
    .slice(start, end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length !== 2) return invalid(`expected a version line and a node line, got ${lines.length} lines`);
  const [versionLine, nodeLine] = lines as [string, string];
  if (!/^\d{1,15}$/.test(versionLine)) return invalid(`the version ${quote(versionLine)} is not a number`);
  const servers: DiscoveredServer[] = [];
  for (const entry of nodeLine.split(/ +/)) {
    const fields = entry.split('|');
    if (fields.length !== 3) return invalid(`the entry ${quote(entry)} is not host|ip|port`);
    const [host, ip, port] = fields as [string, string, string];
    const server = /^\d{1,5}$/.test(port) ? discoveredServer(ip !== '' ? ip : host, Number(port), 1) : undefined;
    if (server === undefined) return invalid(`the entry ${quote(entry)} is not host|ip|port`);
    servers.push(server);
  }
  return { ok: true, version: Number(versionLine), servers: uniqueSorted(servers) };
}

/** The list in one order whatever order the source gave it in, each server once. */
export function uniqueSorted(servers: readonly DiscoveredServer[]): DiscoveredServer[] {
  const byId = new Map(servers.map((server) => [server.id, server]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function invalid(reason: string): DiscoveryReply {
  return { ok: false, reason };
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}...` : text);
}
