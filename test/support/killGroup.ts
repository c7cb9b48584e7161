import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Ends the process group of `child` (spawned with `detached: true`, so it leads a group of its
 * own) with SIGKILL and waits for `child` to go. A hung child answers no signal of its own, and
 * killing only it would leave behind what it started (tsx's node, a memcached): the group holds
 * them all. Idempotent: a group that has already gone is left alone.
 */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return; // it never started: nothing to end
  const exited = child.exitCode !== null || child.signalCode !== null ? undefined : once(child, 'exit');
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (err) {
    // ESRCH: every process of the group has exited already.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  await exited;
}
