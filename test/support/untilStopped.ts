import { readFile } from 'node:fs/promises';

/**
 * Resolves once process `pid` is stopped (state `T` in /proc/<pid>/stat), after a SIGSTOP: kill()
 * returns when the signal is sent, and on a loaded machine the process can still answer a request
 * or two before it stops. Rejects after `timeoutMs`.
 */
export async function untilStopped(pid: number, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may hold spaces.
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T') return;
    if (performance.now() > deadline) throw new Error(`process ${pid} did not stop within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
