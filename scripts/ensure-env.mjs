// Makes a fresh clone ready to test or demo: npm dependencies installed, a memcached binary present.
// Only Node built-ins here: this runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`ensure-env: \`${cmd} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// Installed for exactly this lockfile? Compared by content, not mtime: a fresh checkout (a clone, a
// git worktree whose node_modules is a link to another tree's) has a lockfile newer than the
// install, and `npm ci` through such a link would wipe the tree it points to.
export function ensureNodeModules() {
  const marker = `${root}/node_modules/.ensure-env-lock`;
  const lock = readFileSync(`${root}/package-lock.json`);
  const digest = createHash('sha256').update(lock).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === digest) return;
  if (existsSync(`${root}/node_modules`) && lstatSync(`${root}/node_modules`).isSymbolicLink()) {
    console.error('ensure-env: node_modules is a link to another tree; not reinstalling through it (run npm ci there)');
    return;
  }
  console.error('ensure-env: installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(marker, digest);
}

// The SASL tests make their own password database with saslpasswd2 (in /usr/sbin, which a
// non-root PATH may lack).
const hasSaslpasswd2 = () => has('saslpasswd2') || existsSync('/usr/sbin/saslpasswd2');

// The interop tests run the other clients with Debian's own Python (test/support/python.ts).
const hasPythonClients = () =>
  spawnSync('/usr/bin/python3', ['-c', 'import pymemcache, pylibmc'], { stdio: 'ignore' }).status === 0;

// The proxy tests run twemproxy (Debian's `nutcracker`) in front of memcached (test/support/nutcracker.ts).
const hasNutcracker = () => has('nutcracker') || existsSync('/usr/sbin/nutcracker');

export function ensureMemcached() {
  const missing = [];
  if (!has('memcached')) missing.push('memcached');
  if (!hasNutcracker()) missing.push('nutcracker');
  if (!hasSaslpasswd2()) missing.push('sasl2-bin');
  if (!hasPythonClients()) missing.push('python3-pymemcache', 'python3-pylibmc');
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (has('apt-get') && isRoot) {
    console.error(`ensure-env: installing ${missing.join(' and ')} with apt-get`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...missing]);
    return;
  }
  console.error(
    `ensure-env: ${missing.join(' and ')} not installed. Install with your package manager, e.g.\n` +
      '  sudo apt-get install memcached nutcracker sasl2-bin python3-pymemcache python3-pylibmc   (Debian/Ubuntu)\n' +
      '  brew install memcached twemproxy cyrus-sasl          (macOS)\n' +
      'then run the command again.',
  );
  process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureNodeModules();
  ensureMemcached();
  const version = execFileSync('memcached', ['-V'], { encoding: 'utf8' }).trim();
  console.error(`ensure-env: ready (${version})`);
}
