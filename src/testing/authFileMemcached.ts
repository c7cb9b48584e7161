import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StartWithCredentials, withCredentials } from './tempDirMemcached';

/**
 * A real memcached with an auth file (`-Y`): the text protocol's only authentication, which the
 * meta protocol uses. The file holds one `user:password` line; a client authenticates with a text
 * `set` whose value is `user password` (so the password may hold `:` and `@`, not a space).
 */
export const startAuthFileMemcached: StartWithCredentials = withCredentials(
  'rm-authfile-',
  (dir, username, password) => {
    const file = join(dir, 'auth');
    writeFileSync(file, `${username}:${password}\n`, { mode: 0o644 });
    return { args: ['-Y', file] };
  },
);
