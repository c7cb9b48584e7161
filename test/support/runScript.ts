import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * Runs `body` as an ES module in a child Node process, with `createClient` imported from this
 * checkout, and resolves with its exit code and output. Killed after 10 s: a script that something
 * keeps alive ends with code null.
 */
export async function runScript(body: string): Promise<{ code: number | null; output: string }> {
  const root = join(import.meta.dirname, '..', '..');
  const source = `import { createClient } from ${JSON.stringify(join(root, 'src', 'index.ts'))};\n${body}`;
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
  const [code] = await once(child, 'exit');
  clearTimeout(guard);
  return { code, output };
}
