import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { killGroup } from '../support/killGroup';
import { PROTOCOL } from '../support/protocol';

// Five processes, each with its own client and connection, fetch one cold key at the same moment.
// Over meta memcached's win token lets exactly one of them load; over binary each process only
// protects itself, so each one loads.
const root = join(import.meta.dirname, '..', '..');
let server: MemcachedProcess;
// Every worker the current test spawned. Each is a process group of its own (detached), ended with
// one kill however the test ends (an assertion, a hung worker, the test's timeout), so that nothing
// a worker started outlives the test and keeps vitest alive. A group that has gone is left alone.
const workers = new Set<ChildProcess>();
async function killWorkers(): Promise<void> {
  const spawned = [...workers];
  workers.clear();
  await Promise.all(spawned.map((child) => killGroup(child)));
}
beforeAll(async () => {
  server = await startMemcached();
});
afterEach(killWorkers);
afterAll(async () => {
  await killWorkers();
  await server?.stop();
});

interface Worker {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly ready: Promise<void>;
  readonly done: Promise<unknown>;
}

function worker(key: string): Worker {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test', 'support', 'fetchWorker.ts'), server.address, PROTOCOL, key],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], detached: true },
  );
  workers.add(child);
  const lines: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line === 'ready') resolve();
    });
  });
  const guard = setTimeout(() => void killGroup(child), 15_000);
  const done = once(child, 'exit').finally(() => clearTimeout(guard));
  return { child, lines, ready, done };
}

describe(`fetch (${PROTOCOL}) from separate processes`, () => {
  it(`5 processes fetching one cold key: ${PROTOCOL === 'meta' ? 'one load in total' : 'one load each'}`, async () => {
    const workers = Array.from({ length: 5 }, () => worker('shared-cold'));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin!.write('go\n');
    await Promise.all(workers.map((w) => w.done));
    const loads = workers.filter((w) => w.lines.includes('loaded')).length;
    const values = workers.map((w) => w.lines.find((line) => line.startsWith('value ')));
    expect(values.every((v) => v?.startsWith('value from-'))).toBe(true);
    if (PROTOCOL === 'meta') {
      expect(loads).toBe(1);
      // Everyone answers the one loaded value.
      expect(new Set(values).size).toBe(1);
    } else {
      expect(loads).toBe(5);
    }
  }, 30_000);
});
