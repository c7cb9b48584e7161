import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { killGroup } from '../support/killGroup';
import { PROTOCOL } from '../support/protocol';

// Processes, each with its own client and connection, fetch cold keys at the same moment. Over meta
// memcached's win token lets exactly one of them load each key; over binary each process only
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

/** A fetchWorker.ts process fetching `keys` with a loader of `loaderMs`, waiting `timeoutMs` (or fetch's default). */
function worker(keys: readonly string[], loaderMs: number, timeoutMs?: number): Worker {
  const script = join(root, 'test', 'support', 'fetchWorker.ts');
  const args = [script, server.address, PROTOCOL, keys.join(','), String(loaderMs), String(timeoutMs ?? '')];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
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

/** Starts `workers` together; resolves with how many loaded each key and what each answered for it. */
async function runTogether(workers: readonly Worker[], keys: readonly string[]) {
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.child.stdin!.write('go\n');
  await Promise.all(workers.map((w) => w.done));
  return keys.map((key) => ({
    loads: workers.filter((w) => w.lines.includes(`loaded ${key}`)).length,
    values: workers.map((w) => w.lines.find((line) => line.startsWith(`value ${key} `))),
  }));
}

describe(`fetch (${PROTOCOL}) from separate processes`, () => {
  it(`5 processes fetching one cold key: ${PROTOCOL === 'meta' ? 'one load in total' : 'one load each'}`, async () => {
    const workers = Array.from({ length: 5 }, () => worker(['shared-cold'], 300, 5000));
    const { loads, values } = (await runTogether(workers, ['shared-cold']))[0]!;
    expect(values.every((v) => typeof v === 'string' && v.startsWith('value shared-cold from-'))).toBe(true);
    if (PROTOCOL === 'meta') {
      expect(loads).toBe(1);
      // Everyone answers the one loaded value.
      expect(new Set(values).size).toBe(1);
    } else {
      expect(loads).toBe(5);
    }
  }, 30_000);

  // The placeholder lives its own leaseTtl, not fetch's wait: a loader of 800 ms finishes before it
  // goes, so nobody else wins the key meanwhile (waiting the default 1000 ms).
  it(`6 processes fetching 4 cold keys with an 800 ms loader: ${PROTOCOL === 'meta' ? 'each key loaded once, one value' : 'each process loads each key'}`, async () => {
    const keys = ['lease:0', 'lease:1', 'lease:2', 'lease:3'];
    const workers = Array.from({ length: 6 }, () => worker(keys, 800));
    const results = await runTogether(workers, keys);
    for (const { values } of results) {
      expect(values.every((v) => typeof v === 'string' && / from-\d+$/.test(v))).toBe(true);
    }
    if (PROTOCOL === 'meta') {
      expect(results.map((r) => r.loads)).toEqual([1, 1, 1, 1]);
      expect(results.map((r) => new Set(r.values).size)).toEqual([1, 1, 1, 1]);
    } else {
      expect(results.map((r) => r.loads)).toEqual([6, 6, 6, 6]);
    }
  }, 30_000);
});
