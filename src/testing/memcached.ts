import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from './spawnServer';

/** A free TCP port on loopback (the OS picks it; a tiny race with other processes remains). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Resolves once something accepts connections on `port` (TCP, 127.0.0.1) or, given a string, on
 * that UNIX socket path, trying each time the last try ends.
 */
export async function waitForPort(port: number | string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const where = typeof port === 'string' ? port : `127.0.0.1:${port}`;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = typeof port === 'string' ? net.connect({ path: port }) : net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${where} after ${timeoutMs} ms`);
    // Wait for the next macrotask turn, not for a fixed time: memcached binds within milliseconds.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whether something listens on `port` on 127.0.0.1 already, so a memcached there could not bind it. */
async function portTaken(port: number): Promise<boolean> {
  const probe = net.createServer();
  probe.listen(port, '127.0.0.1');
  try {
    await once(probe, 'listening');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
  }
  probe.close();
  await once(probe, 'close');
  return false;
}

// How long memcached may take to fail on a port found taken: it exits within milliseconds.
const TAKEN_PORT_EXIT_MS = 5000;

/** A memcached started by `startMemcached`. Killed with SIGKILL when the process exits, whatever happens. */
export interface MemcachedProcess {
  /** The TCP port it listens on, on 127.0.0.1; 0 when it listens on a UNIX socket. */
  readonly port: number;
  /** The server address to give a client: `127.0.0.1:port`, or the UNIX socket's path. */
  readonly address: string;
  /** The child process itself, e.g. to send it SIGSTOP (a server that hangs) and SIGCONT. */
  readonly process: ChildProcess;
  /** Kills it (SIGKILL by default) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A path for `startMemcached({ unixSocket })` in a new temporary folder. The folder is writable by
 * everyone: memcached started as root binds the socket after it drops to `nobody`.
 */
export function tempSocketPath(name = 'memcached.sock'): string {
  const dir = mkdtempSync(join(tmpdir(), 'rm-unix-'));
  chmodSync(dir, 0o777);
  return join(dir, name);
}

/** memcached's TLS (`-Z`): PEM files it reads, and whether it asks for a client certificate. */
export interface MemcachedTls {
  /** `ssl_chain_cert`: the server's certificate (chain). */
  readonly chainCert: string;
  /** `ssl_key`: its private key. */
  readonly key: string;
  /** `ssl_ca_cert`: the CAs client certificates must come from. */
  readonly caCert?: string;
  /** `ssl_verify_mode`: 0 none (memcached's default), 1 request, 2 require, 3 once (require, verified). */
  readonly verifyMode?: 0 | 1 | 2 | 3;
}

export interface StartMemcachedOptions {
  /** A TCP port on 127.0.0.1. @default a free one */
  readonly port?: number;
  /** Listen on this UNIX socket instead of TCP (`-s PATH -a 0700`; memcached then has no network). */
  readonly unixSocket?: string;
  /** TLS on the TCP port (`-Z -o ssl_...`). */
  readonly tls?: MemcachedTls;
  readonly args?: string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** memcached's arguments for TLS: `-Z -o ssl_chain_cert=...,ssl_key=...[,ssl_ca_cert=...][,ssl_verify_mode=N]`. */
export function tlsArgs(tls: MemcachedTls): string[] {
  const settings = [`ssl_chain_cert=${tls.chainCert}`, `ssl_key=${tls.key}`];
  if (tls.caCert !== undefined) settings.push(`ssl_ca_cert=${tls.caCert}`);
  if (tls.verifyMode !== undefined) settings.push(`ssl_verify_mode=${tls.verifyMode}`);
  return ['-Z', '-o', settings.join(',')];
}

/**
 * Starts a real memcached on 127.0.0.1 (`port` free by default), or on a UNIX socket, and waits
 * until it accepts connections. `args` are added to memcached's command line (e.g. `['-m', '8']`),
 * `env` to its environment. Rejects when memcached is not installed or exits early. `stop()` kills
 * it: to test a memcached that dies and comes back, stop it and start another on the same `port`
 * (or `unixSocket`). A `port` something else listens on rejects with memcached's own message
 * ("failed to listen ...: Address already in use"): never resolves with another process answering
 * on it.
 */
export async function startMemcached(options: StartMemcachedOptions = {}): Promise<MemcachedProcess> {
  const path = options.unixSocket;
  const port = path !== undefined ? 0 : (options.port ?? (await freePort()));
  const listen = path !== undefined ? ['-s', path, '-a', '0700'] : ['-l', '127.0.0.1', '-p', String(port)];
  const tls = options.tls ? tlsArgs(options.tls) : [];
  const args = [...listen, '-U', '0', '-m', '64', ...tls, ...(options.args ?? [])];
  const taken = path === undefined && (await portTaken(port));
  // memcached refuses to run as root without a user to switch to.
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  const server = spawnServer(
    'memcached',
    'memcached',
    args,
    options.env ? { ...process.env, ...options.env } : undefined,
  );
  // Whatever answers on a taken port is not this memcached: wait for it to fail and say why. Should
  // the port come free in time for memcached to bind it after all, it is used as it is.
  if (taken) {
    let grace: NodeJS.Timeout | undefined;
    const waited = new Promise((resolve) => {
      grace = setTimeout(resolve, TAKEN_PORT_EXIT_MS);
    });
    await Promise.race([server.failed, waited]).finally(() => clearTimeout(grace));
  }
  await Promise.race([waitForPort(path ?? port), server.failed]);
  return {
    port,
    address: path ?? `127.0.0.1:${port}`,
    process: server.child,
    stop: server.stop,
  };
}

/**
 * A listener that accepts connections and never answers: the worst kind of outage, and no
 * memcached needed. On 127.0.0.1 (`port` free by default), or given a string, on that UNIX socket
 * path (`address` is then the path). `close()` ends its connections and stops listening.
 */
export async function startBlackHole(
  port?: number | string,
): Promise<{ port: number; address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  if (typeof port === 'string') server.listen(port);
  else server.listen(port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const actual = typeof port === 'string' ? 0 : (server.address() as net.AddressInfo).port;
  return {
    port: actual,
    address: typeof port === 'string' ? port : `127.0.0.1:${actual}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
