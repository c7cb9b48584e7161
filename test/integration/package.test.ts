import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user gets from npm: pack the package (prepack builds it), install the tarball in an empty
// project, and load it both ways, with types.
const root = join(import.meta.dirname, '..', '..');
let dir: string;

function run(cmd: string, args: string[], cwd = dir): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rm-pack-'));
  run('npm', ['pack', '--silent', '--pack-destination', dir], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack made no tarball');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`]);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('loads with require() from CommonJS', () => {
    const out = run('node', [
      '-e',
      `const m = require('reconnecting-memcached');
       const c = m.createClient({ servers: '127.0.0.1:1' });
       console.log(typeof m.createClient, c.state, new m.InvalidKeyError('x').code);
       c.close();`,
    ]);
    expect(out.trim()).toBe('function connected ERR_INVALID_KEY');
  });

  it('loads with import from ESM', () => {
    const out = run('node', [
      '--input-type=module',
      '-e',
      `import { createClient, TimeoutError } from 'reconnecting-memcached';
       const c = createClient({ servers: ['127.0.0.1:1'] });
       console.log(typeof createClient, c.connectionAvailable(), new TimeoutError(5).code);
       await c.close();`,
    ]);
    expect(out.trim()).toBe('function true ERR_TIMEOUT');
  });

  it('ships types that resolve for both ESM and CommonJS consumers', () => {
    const source = `import { createClient, type GetResult } from 'reconnecting-memcached';
const cache = createClient({ servers: '127.0.0.1:11211', timeoutMs: 50 });
const check = async (): Promise<string> => {
  const r: GetResult = await cache.get('k');
  return r.ok ? String(r.item?.value.length) : r.reason;
};
// @ts-expect-error: an unknown option must not type-check
createClient({ servers: 'x', timeout: 5 });
export { check };
`;
    writeFileSync(join(dir, 'esm.mts'), source);
    writeFileSync(join(dir, 'cjs.cts'), source.replace('export { check };', 'export = check;'));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node'];
    const typeRoots = ['--typeRoots', join(root, 'node_modules', '@types')];
    expect(() => run('node', [tsc, ...args, ...typeRoots, 'esm.mts', 'cjs.cts'])).not.toThrow();
  });
});
