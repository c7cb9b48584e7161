import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '../../src/testing/memcached';
import { spawnServer } from '../../src/testing/spawnServer';

/** A twemproxy (`nutcracker`) started by `startNutcracker`, in front of memcached servers. */
export interface NutcrackerProcess {
  /** Where clients connect: `127.0.0.1:port`. */
  readonly address: string;
  readonly port: number;
  /** nutcracker's stats port (JSON on connect). */
  readonly statsPort: number;
  readonly process: ChildProcess;
  /** Kills it (SIGKILL by default), waits for it to exit and removes its folder. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface NutcrackerOptions {
  /** The memcached servers behind it, `host:port`. */
  readonly backends: readonly string[];
  /** How long it waits on a backend, in milliseconds, before answering SERVER_ERROR. @default 1000 */
  readonly timeoutMs?: number;
  /** The port it listens on, e.g. to start a proxy again where one died. @default a free one */
  readonly port?: number;
}

// Debian installs it in /usr/sbin, which a non-root PATH may lack.
const BINARY = existsSync('/usr/sbin/nutcracker') ? '/usr/sbin/nutcracker' : 'nutcracker';

/**
 * Starts twemproxy on 127.0.0.1 (ports free), its configuration generated in a temporary folder:
 * one memcached pool over `backends`, ketama, and hosts never ejected, so a dead backend's keys
 * answer `SERVER_ERROR` while the others keep working. Resolves once it accepts connections.
 */
export async function startNutcracker(options: NutcrackerOptions): Promise<NutcrackerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'rm-nutcracker-'));
  const port = options.port ?? (await freePort());
  const statsPort = await freePort();
  const config = join(dir, 'nutcracker.yml');
  writeFileSync(
    config,
    [
      'pool:',
      `  listen: 127.0.0.1:${port}`,
      '  hash: fnv1a_64',
      '  distribution: ketama',
      `  timeout: ${options.timeoutMs ?? 1000}`,
      '  auto_eject_hosts: false',
      '  server_retry_timeout: 500',
      '  server_failure_limit: 1',
      '  servers:',
      ...options.backends.map((backend, i) => `    - ${backend}:1 server${i}`),
      '',
    ].join('\n'),
  );
  const args = [
    '-c',
    config,
    '-s',
    String(statsPort),
    '-a',
    '127.0.0.1',
    '-p',
    join(dir, 'pid'),
    '-o',
    join(dir, 'log'),
  ];
  const server = spawnServer('nutcracker', BINARY, args);
  try {
    await Promise.race([waitForPort(port), server.failed]);
  } catch (err) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    address: `127.0.0.1:${port}`,
    port,
    statsPort,
    process: server.child,
    async stop(signal = 'SIGKILL') {
      await server.stop(signal);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
