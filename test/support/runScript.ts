import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** What a child Node process did: its exit code (null when killed), its signal, everything it printed. */
export interface ScriptRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * Runs `source` as an ES module in a child Node process (with tsx, from this checkout's folder).
 * Killed after 10 s: a script that something keeps alive ends with code null.
 */
export async function runModule(source: string): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(guard);
  return { code, signal, output };
}

/**
 * Runs `body` with `createClient` imported from this checkout's sources; with `protocol`, every
 * client it makes speaks that protocol unless the body says otherwise.
 */
export function runScript(body: string, protocol?: string): Promise<ScriptRun> {
  const entry = JSON.stringify(join(root, 'src', 'index.ts'));
  const header =
    protocol === undefined
      ? `import { createClient } from ${entry};`
      : `import { createClient as create } from ${entry};
const createClient = (options) => create({ protocol: ${JSON.stringify(protocol)}, ...options });`;
  return runModule(`${header}\n${body}`);
}
