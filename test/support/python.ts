import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Debian's own Python, where apt installs python3-pymemcache and python3-pylibmc. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python/interop.py', import.meta.url));

/** A value as the Python side sends and receives it (test/support/python/interop.py). */
export type PyPacked = { type: 'str' | 'int' | 'bytes' | 'bool' | string; value: string | boolean } | null;

/** Runs one request of interop.py with Debian's Python and answers its JSON. */
export function python<T>(request: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [SCRIPT, JSON.stringify(request)],
      { timeout: 20_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${PYTHON} interop.py ${String(request.op)} failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as T);
      },
    );
  });
}
