import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MemcachedProcess, type StartMemcachedOptions, startMemcached } from './memcached';

/**
 * A real memcached with SASL on (`-S`), and its own password database in a temporary folder:
 * `saslpasswd2` (Debian package sasl2-bin) writes a sasldb with one user, and memcached reads
 * `memcached.conf` from the folder SASL_CONF_PATH names (the folder, not the file).
 */
export async function startSaslMemcached(
  username: string,
  password: string,
  /** Where and how it listens (TLS, a UNIX socket, a port): as for startMemcached. */
  options: Omit<StartMemcachedOptions, 'args' | 'env'> = {},
): Promise<MemcachedProcess & { readonly dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rm-sasl-'));
  // memcached drops root for `nobody`, which must be able to read the database.
  chmodSync(dir, 0o755);
  const db = join(dir, 'sasldb');
  const args = ['-p', '-c', '-a', 'memcached', '-f', db, username];
  // In /usr/sbin, which a non-root PATH may lack.
  let made = spawnSync('saslpasswd2', args, { input: password });
  if (made.error) made = spawnSync('/usr/sbin/saslpasswd2', args, { input: password });
  if (made.error || made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `saslpasswd2 failed (is sasl2-bin installed? npm test installs it): ${made.error?.message ?? made.stderr}`,
    );
  }
  chmodSync(db, 0o644);
  writeFileSync(join(dir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${db}\n`);
  const server = await startMemcached({ ...options, args: ['-S'], env: { SASL_CONF_PATH: dir } });
  return {
    ...server,
    dir,
    async stop(signal) {
      await server.stop(signal);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
