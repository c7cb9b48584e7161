import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

// What a user gets from npm: pack the package (prepack builds it), install the tarball in an empty
// project, and load it both ways, with types. The build's type declarations alone take over a
// minute on a loaded machine, hence the long setup timeout.
const root = join(import.meta.dirname, '..', '..');
const PEERS = ['keyv', 'cache-manager', '@opentelemetry/api'];

function installedVersion(name: string): string {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** A consumer project with the packed package installed, made before a file's tests and removed after them. */
export interface PackedConsumer {
  /** The consumer project's folder. */
  readonly dir: string;
  /** Runs `cmd` in `cwd` (the project unless told) and returns its output; throws if it fails. */
  run(cmd: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): string;
  /** Type-checks `source` as an ESM (.mts) and a CommonJS (.cts) file of the consumer project. */
  typecheck(name: string, source: string): void;
}

export function packedConsumer(): PackedConsumer {
  let dir = '';

  function run(cmd: string, args: string[], cwd = dir, env = process.env): string {
    // A script that leaves a socket or timer behind never exits: the timeout turns that into a failure.
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }

  function typecheck(name: string, source: string): void {
    writeFileSync(join(dir, `${name}.mts`), source);
    writeFileSync(join(dir, `${name}.cts`), source.replace(/export \{ (\w+) \};/, 'export = $1;'));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node'];
    const typeRoots = ['--typeRoots', join(root, 'node_modules', '@types')];
    expect(() => run('node', [tsc, ...args, ...typeRoots, `${name}.mts`, `${name}.cts`])).not.toThrow();
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rm-pack-'));
    run('npm', ['pack', '--silent', '--pack-destination', dir], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack made no tarball');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    // The optional peers, at the versions this repo tests with, as a user who wants them would add them.
    const peers = PEERS.map((name) => `${name}@${installedVersion(name)}`);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, ...peers]);
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  return {
    get dir() {
      return dir;
    },
    run,
    typecheck,
  };
}
