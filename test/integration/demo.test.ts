import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { killGroup } from '../support/killGroup';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Line {
  readonly type: string;
  readonly [field: string]: unknown;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('npm run demo', () => {
  it('tells the outage story in JSON lines, heals by itself, and exits leaving no memcached behind', async () => {
    // A compressed run of the default scenario: kill at 1.7 s, black-hole at 3.7 s, restore at 6 s.
    // In a process group of its own (detached), so that however the test ends (an assertion, or the
    // test timeout cutting a hung demo short) one kill ends the demo and what it started, and nothing
    // outlives the test to keep CI's process alive.
    const child = spawn(`${root}node_modules/.bin/tsx`, ['demo/main.ts', '--json', '--duration', '10'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    onTestFinished(() => killGroup(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    const states = lines.filter((l) => l.type === 'state').map((l) => l.to);
    expect(states).toEqual(['degraded', 'reconnecting', 'connected']);
    expect(lines.filter((l) => l.type === 'fault').map((l) => l.fault)).toEqual(['killed', 'blackhole', 'none']);
    expect(lines.filter((l) => l.type === 'stats').length).toBeGreaterThanOrEqual(8);

    const summary = lines.at(-1) as Line & {
      episodes: Array<{ detectMs?: number; healMs?: number }>;
      comparison: { ours: { calls: number; fallback: number; hung: number }; memjs: { calls: number } };
    };
    expect(summary.type).toBe('summary');
    expect(summary.episodes).toHaveLength(1);
    expect(summary.episodes[0]?.detectMs).toBeGreaterThan(0);
    expect(summary.episodes[0]?.healMs).toBeGreaterThan(0);
    // While memcached was unusable, every call of the demo client was answered, by the fallback.
    const { ours, memjs } = summary.comparison;
    expect(ours.calls).toBeGreaterThan(0);
    expect(memjs.calls).toBe(ours.calls);
    expect(ours.fallback).toBe(ours.calls);
    expect(ours.hung).toBe(0);

    const started = lines.find((l) => l.type === 'info' && String(l.message).includes('started by the demo'));
    const port = Number(/memcached 127\.0\.0\.1:(\d+)/.exec(String(started?.message))?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await refused(port)).toBe(true);
    // The scenario itself takes 10 s; tsx compiling the demo on a busy machine took the rest of the
    // suite's 20 s. The bound only stops a hung demo.
  }, 45_000);
});
