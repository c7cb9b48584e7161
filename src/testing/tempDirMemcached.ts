import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MemcachedProcess, type StartMemcachedOptions, startMemcached } from './memcached';

/**
 * Starts a memcached that needs files of its own (a password database, an auth file) in a new
 * temporary folder, which `stop()` removes, as does a failed start.
 */
export async function startInTempDir(
  prefix: string,
  start: (dir: string) => Promise<MemcachedProcess>,
): Promise<MemcachedProcess & { readonly dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // memcached drops root for `nobody`, which must be able to read what is in the folder.
  chmodSync(dir, 0o755);
  let server: MemcachedProcess;
  try {
    server = await start(dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...server,
    dir,
    async stop(signal) {
      await server.stop(signal);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where and how a memcached listens (TLS, a UNIX socket, a port): as for `startMemcached`. */
export type ListenOptions = Omit<StartMemcachedOptions, 'args' | 'env'>;

/** Starts a memcached that authenticates `username` with `password`; `stop()` removes its folder. */
export type StartWithCredentials = (
  username: string,
  password: string,
  options?: ListenOptions,
) => Promise<MemcachedProcess & { readonly dir: string }>;

/**
 * A starter of memcached processes that check credentials: `setup` writes what they need into the
 * process's own temporary folder and says how to start memcached with it.
 */
export function withCredentials(
  prefix: string,
  setup: (dir: string, username: string, password: string) => Pick<StartMemcachedOptions, 'args' | 'env'>,
): StartWithCredentials {
  return (username, password, options = {}) =>
    startInTempDir(prefix, (dir) => startMemcached({ ...options, ...setup(dir, username, password) }));
}
