// Makes a fresh clone ready to test or demo: npm dependencies installed, a memcached binary present.
// Only Node built-ins here: this runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
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

export function ensureNodeModules() {
  const marker = `${root}/node_modules/.package-lock.json`;
  const lock = `${root}/package-lock.json`;
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    // `npm ci` empties node_modules through a symlink before it replaces the link: a worktree
    // sharing another checkout's node_modules would wipe that checkout's install (seen once).
    if (existsSync(`${root}/node_modules`) && lstatSync(`${root}/node_modules`).isSymbolicLink()) {
      console.error('ensure-env: node_modules is a symlink (a shared install): not running npm ci here');
      return;
    }
    console.error('ensure-env: installing npm dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

// The SASL tests make their own password database with saslpasswd2 (in /usr/sbin, which a
// non-root PATH may lack).
const hasSaslpasswd2 = () => has('saslpasswd2') || existsSync('/usr/sbin/saslpasswd2');

// The interop tests run the other clients with Debian's own Python (test/support/python.ts).
const hasPythonClients = () =>
  spawnSync('/usr/bin/python3', ['-c', 'import pymemcache, pylibmc'], { stdio: 'ignore' }).status === 0;

export function ensureMemcached() {
  const missing = [];
  if (!has('memcached')) missing.push('memcached');
  if (!hasSaslpasswd2()) missing.push('sasl2-bin');
  if (!hasPythonClients()) missing.push('python3-pymemcache', 'python3-pylibmc');
  // The TLS tests make a throwaway CA and certificates with it. Debian 12 marks openssl
  // "Priority: optional": most installs have it, minimal images (debian:bookworm-slim) do not.
  if (!has('openssl')) missing.push('openssl');
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (has('apt-get') && isRoot) {
    console.error(`ensure-env: installing ${missing.join(', ')} with apt-get`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...missing]);
    return;
  }
  console.error(
    `ensure-env: ${missing.join(', ')} not installed. Install with your package manager, e.g.\n` +
      '  sudo apt-get install memcached sasl2-bin openssl python3-pymemcache python3-pylibmc   (Debian/Ubuntu)\n' +
      '  brew install memcached cyrus-sasl openssl          (macOS)\n' +
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
