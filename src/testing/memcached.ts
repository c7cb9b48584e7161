import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

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

/** Resolves once something accepts TCP connections on `port`, trying each time the last try ends. */
export async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    // Wait for the next macrotask turn, not for a fixed time: memcached binds within milliseconds.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// A test runner that exits mid-test (a timeout, a crash) must not leave memcached running.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A memcached started by `startMemcached`. Killed with SIGKILL when the process exits, whatever happens. */
export interface MemcachedProcess {
  /** The TCP port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** `127.0.0.1:port`: the server address to give a client. */
  readonly address: string;
  /** The child process itself, e.g. to send it SIGSTOP (a server that hangs) and SIGCONT. */
  readonly process: ChildProcess;
  /** Kills it (SIGKILL by default) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a real memcached on 127.0.0.1 (`port` free by default) and waits until it accepts
 * connections. `args` are added to memcached's command line (e.g. `['-m', '8']`), `env` to its
 * environment. Rejects when memcached is not installed or exits early. `stop()` kills it: to test a
 * memcached that dies and comes back, stop it and start another on the same `port`.
 */
export async function startMemcached(
  options: { port?: number; args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<MemcachedProcess> {
  const port = options.port ?? (await freePort());
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64', ...(options.args ?? [])];
  // memcached refuses to run as root without a user to switch to.
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  const child = spawn('memcached', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: options.env ? { ...process.env, ...options.env } : process.env,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  running.add(child);
  const exited = once(child, 'exit');
  exited.then(() => running.delete(child));
  const spawnError = once(child, 'error').then(([err]) => {
    throw new Error(`cannot start memcached (is it installed? npm test installs it): ${(err as Error).message}`);
  });
  const early = exited.then(([code]) => {
    throw new Error(`memcached exited early with ${code}: ${stderr}`);
  });
  await Promise.race([waitForPort(port), spawnError, early]);
  early.catch(() => {});
  spawnError.catch(() => {});
  return {
    port,
    address: `127.0.0.1:${port}`,
    process: child,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * A listener on 127.0.0.1 that accepts connections and never answers: the worst kind of outage, and
 * no memcached needed. `close()` ends its connections and stops listening.
 */
export async function startBlackHole(
  port?: number,
): Promise<{ port: number; address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  server.listen(port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const actual = (server.address() as net.AddressInfo).port;
  return {
    port: actual,
    address: `127.0.0.1:${actual}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
