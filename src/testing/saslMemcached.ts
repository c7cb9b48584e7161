import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StartWithCredentials, withCredentials } from './tempDirMemcached';

/**
 * A real memcached with SASL on (`-S`), and its own password database in a temporary folder:
 * `saslpasswd2` (Debian package sasl2-bin) writes a sasldb with one user, and memcached reads
 * `memcached.conf` from the folder SASL_CONF_PATH names (the folder, not the file).
 */
export const startSaslMemcached: StartWithCredentials = withCredentials('rm-sasl-', (dir, username, password) => {
  const db = join(dir, 'sasldb');
  const args = ['-p', '-c', '-a', 'memcached', '-f', db, username];
  // In /usr/sbin, which a non-root PATH may lack.
  let made = spawnSync('saslpasswd2', args, { input: password });
  if (made.error) made = spawnSync('/usr/sbin/saslpasswd2', args, { input: password });
  if (made.error || made.status !== 0) {
    throw new Error(
      `saslpasswd2 failed (is sasl2-bin installed? npm test installs it): ${made.error?.message ?? made.stderr}`,
    );
  }
  chmodSync(db, 0o644);
  writeFileSync(join(dir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${db}\n`);
  return { args: ['-S'], env: { SASL_CONF_PATH: dir } };
});
