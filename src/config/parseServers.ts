import { InvalidOptionError } from '../core/errors';

/**
 * One memcached server, parsed from `[user:pass@]host[:port]`, a UNIX socket path, or
 * `{ address, weight }`: the one shape a server has inside the client, from parsing to `servers()`.
 */
export interface ServerAddress {
  /**
   * `host:port`, or a UNIX socket's path; never with credentials: its identity in the pool, logs,
   * errors, events and `servers()`.
   */
  readonly id: string;
  /** The host name or IP; for a UNIX socket server, its path (as libmemcached keeps it). */
  readonly host: string;
  /** The TCP port; 0 for a UNIX socket server (as libmemcached, whose ketama hashes `path:0`). */
  readonly port: number;
  /** Set for a UNIX socket server (`/run/memcached.sock` or `unix:/run/memcached.sock`): its absolute path. */
  readonly path?: string;
  readonly username?: string;
  readonly password?: string;
  /** Its share of the keys relative to the others (see `distribution`): 1 unless given. */
  readonly weight: number;
}

/** A server with a weight, for the `servers` option: `{ address: 'cache-b:11211', weight: 2 }`. */
export interface ServerSpec {
  /** `[user:pass@]host[:port]`, as in a plain string entry. */
  readonly address: string;
  /** A whole number in 1..1000: a server of weight 2 gets about twice the keys of one of weight 1. @default 1 */
  readonly weight?: number;
}

/** The `servers` option and `setServers`' argument: an array of addresses, or one comma-separated string. */
export type ServerList = string | readonly (string | ServerSpec)[];

export const DEFAULT_PORT = 11211;
const UNIX_PREFIX = 'unix:';
// sun_path holds 108 bytes on Linux, the last one a NUL (104 on macOS: connect fails there instead).
const MAX_PATH_BYTES = 107;
/** Bounds the modula and memjs bucket tables, which hold one bucket per unit of weight. */
export const MAX_WEIGHT = 1000;

/**
 * Parses the `servers` option: an array of addresses or one comma-separated string.
 * Each is `host`, `host:port`, `[ipv6]:port` or `user:pass@host:port` (SASL PLAIN), or a UNIX socket:
 * an absolute path, or `unix:` and one (`user:pass@` before it for SASL). The password may contain
 * `@` and `:` (the last `@` ends it). An array entry may also be `{ address, weight }`.
 * A server (`host:port`) may appear once: it is the identity of its connection.
 */
export function parseServers(servers: unknown): ServerAddress[] {
  const list = typeof servers === 'string' ? servers.split(',') : servers;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError(
      'servers',
      servers,
      'a non-empty array of "host:port" strings or { address, weight } objects, or a comma-separated string',
    );
  }
  const parsed = list.map((entry, i) => parseEntry(entry, servers, `entry ${i + 1} of ${list.length}`));
  const seen = new Set<string>();
  for (const { id } of parsed) {
    if (seen.has(id)) throw new InvalidOptionError('servers', id, 'each server (host:port) listed once');
    seen.add(id);
  }
  return parsed;
}

function parseEntry(entry: unknown, whole: unknown, which: string): ServerAddress {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return parseServer(entry, whole, which);
  const { address, weight } = entry as Partial<ServerSpec>;
  const server = parseServer(address, whole, which);
  if (weight === undefined) return server;
  if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
    throw new InvalidOptionError('servers', weight, `a weight that is a whole number in 1..${MAX_WEIGHT} (${which})`);
  }
  return { ...server, weight };
}

function parseServer(entry: unknown, whole: unknown, which: string): ServerAddress {
  const bad = (): never => {
    throw new InvalidOptionError(
      'servers',
      redact(whole),
      `"[user:pass@]host[:port]" entries with a port in 1..65535, or absolute UNIX socket paths of at most ${MAX_PATH_BYTES} bytes (${which} is not)`,
    );
  };
  if (typeof entry !== 'string') return bad();
  const text = entry.trim();
  const at = text.lastIndexOf('@');
  // A path may hold `@` only without credentials: with them, the last `@` still ends the password.
  const isPath = isUnixPath(text);
  const hostPort = at >= 0 && !isPath ? text.slice(at + 1) : text;
  let username: string | undefined;
  let password: string | undefined;
  if (at >= 0 && !isPath) {
    const userInfo = text.slice(0, at);
    const colon = userInfo.indexOf(':');
    username = colon >= 0 ? userInfo.slice(0, colon) : userInfo;
    password = colon >= 0 ? userInfo.slice(colon + 1) : '';
    if (username === '') return bad();
  }
  const credentials = username === undefined ? {} : { username, password };
  if (isUnixPath(hostPort)) {
    const path = hostPort.startsWith(UNIX_PREFIX) ? hostPort.slice(UNIX_PREFIX.length) : hostPort;
    if (path.includes('\0') || Buffer.byteLength(path) > MAX_PATH_BYTES) return bad();
    return { id: path, host: path, port: 0, path, weight: 1, ...credentials };
  }
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return bad();
    host = hostPort.slice(1, close);
    const rest = hostPort.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return bad();
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
  }
  if (host === '' || /[\s/]/.test(host)) return bad();
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (portText === '' || !Number.isInteger(port) || port < 1 || port > 65535) return bad();
  return { id: formatServer({ host, port }), host, port, weight: 1, ...credentials };
}

// `unix:` only before a `/`: `unix:11211` stays a host named unix.
function isUnixPath(text: string): boolean {
  return text.startsWith('/') || text.startsWith(`${UNIX_PREFIX}/`);
}

/** `host:port`, or a UNIX socket's path; never with credentials: safe for logs, errors and events. */
export function formatServer(server: Pick<ServerAddress, 'host' | 'port' | 'path'>): string {
  if (server.path !== undefined) return server.path;
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${host}:${server.port}`;
}

/**
 * The `servers` option as an error message may show it: whole when it holds no `@`, else not at
 * all. No partial redaction is safe: a password containing `,` splits a comma-separated string,
 * and `@` inside it moves the apparent host, so any piece may be password (found by fuzzing: the
 * old pattern echoed `user:pa,ss@host` whole, and `user:p@ss,word@host` as `***@ss,...`).
 */
export function redact(servers: unknown): unknown {
  const entries: unknown[] | undefined =
    typeof servers === 'string' ? servers.split(',') : Array.isArray(servers) ? servers : undefined;
  if (entries === undefined || !entries.some((e) => typeof e === 'string' && e.includes('@'))) return servers;
  return `(${entries.length === 1 ? 'an entry' : `${entries.length} entries`} with credentials, not shown)`;
}
