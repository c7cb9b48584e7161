import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MemcachedProcess, type StartMemcachedOptions, startMemcached } from './memcached';
import { startInTempDir } from './tempDirMemcached';

/**
 * A real memcached with an auth file (`-Y`): the text protocol's only authentication, which the
 * meta protocol uses. The file holds one `user:password` line; a client authenticates with a text
 * `set` whose value is `user password` (so the password may hold `:` and `@`, not a space).
 */
export function startAuthFileMemcached(
  username: string,
  password: string,
  /** Where and how it listens (TLS, a UNIX socket, a port): as for startMemcached. */
  options: Omit<StartMemcachedOptions, 'args' | 'env'> = {},
): Promise<MemcachedProcess & { readonly dir: string }> {
  return startInTempDir('rm-authfile-', (dir) => {
    const file = join(dir, 'auth');
    writeFileSync(file, `${username}:${password}\n`, { mode: 0o644 });
    return startMemcached({ ...options, args: ['-Y', file] });
  });
}
