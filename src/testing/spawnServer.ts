import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

// A test runner that exits mid-test (a timeout, a crash) must not leave a server running.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A server process started for tests by `spawnServer` (memcached, nutcracker). */
export interface ServerProcess {
  readonly child: ChildProcess;
  /**
   * Rejects when the process cannot be started or exits on its own, with its stderr in the
   * message; never resolves. Race it against waiting for the server's port.
   */
  readonly failed: Promise<never>;
  /** Kills it (SIGKILL by default) unless it has exited, and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `command` with `args`, its stderr kept for `failed`'s message; `name` names it there. */
export function spawnServer(
  name: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  running.add(child);
  const exited = once(child, 'exit');
  exited.then(() => running.delete(child));
  const failed = Promise.race([
    once(child, 'error').then(([err]) => {
      throw new Error(`cannot start ${name} (is it installed? npm test installs it): ${(err as Error).message}`);
    }),
    exited.then(([code]) => {
      throw new Error(`${name} exited early with ${code}: ${stderr.trim()}`);
    }),
  ]) as Promise<never>;
  failed.catch(() => {});
  return {
    child,
    failed,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
