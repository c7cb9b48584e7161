import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../src/client/createClient';
import { type RunningInspector, startInspector } from '../../src/inspect';
import { startMemcached } from '../../src/testing/memcached';
import { waitForState } from '../support/waitForState';

const PASSWORD = 's3cret';
const FAST = { timeoutMs: 100, allowedFailuresBeforeHealing: 3, recoveryDelayMs: 50, maxRecoveryDelayMs: 100 };

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

interface Frame {
  readonly type: string;
  readonly name?: string;
  readonly sessionId: string;
  readonly definition?: string;
  readonly snapshot?: { readonly value?: unknown };
  readonly event?: { readonly type: string };
}

/** A WebSocket client of the relay that keeps every frame and lets a test wait for one. */
class FrameReader {
  readonly raw: string[] = [];
  readonly frames: Frame[] = [];
  readonly #waiters = new Set<() => void>();
  readonly socket: WebSocket;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      const text = String(data);
      this.raw.push(text);
      this.frames.push(JSON.parse(text) as Frame);
      for (const wake of this.#waiters) wake();
    });
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  /** Resolves with the first frame that matches, waiting for new frames up to `timeoutMs`. */
  waitFor(predicate: (frame: Frame) => boolean, what: string, timeoutMs = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no frame ${what} after ${timeoutMs} ms; got ${this.frames.length} frames`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  return Object.entries(value as Record<string, unknown>)
    .map(([parent, child]) => `${parent}.${stateName(child)}`)
    .join(',');
}

async function inspectedClient(servers: string) {
  const cache = createClient({ servers, ...FAST });
  cleanup.push(() => cache.close());
  const printed: string[] = [];
  const inspector = await startInspector(cache, { print: (line) => printed.push(line) });
  cleanup.push(() => inspector.stop());
  return { cache, inspector, printed };
}

function httpGet(port: number, host: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    http
      .get({ host, port, path: '/', agent: false, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('startInspector against a real memcached outage', () => {
  it('streams the machine definition and the outage from connected to reconnecting and back, with no credential', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const { cache, inspector, printed } = await inspectedClient(`user:${PASSWORD}@${server.address}`);
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(printed.join('\n')).toContain(inspector.url);

    const reader = new FrameReader(inspector.webSocketUrl);
    cleanup.push(() => reader.socket.terminate());
    await reader.opened();
    const actorFrame = await reader.waitFor((f) => f.type === '@xstate.actor' && f.name === 'connection', 'actor');
    const definition = JSON.parse(actorFrame.definition ?? '{}');
    expect(definition.id).toBe('connection');
    expect(Object.keys(definition.states).sort()).toEqual(['closed', 'connected', 'degraded', 'reconnecting']);
    expect(Object.keys(definition.states.reconnecting.states).sort()).toEqual(['probing', 'waiting']);
    expect(stateName(actorFrame.snapshot?.value)).toBe('connected');
    expect(await cache.set({ key: 'k', value: 'v' })).toBe(true);

    await server.stop('SIGKILL');
    // Each call fails at the socket; the third one starts healing.
    while (cache.state !== 'reconnecting') expect((await cache.get('k')).ok).toBe(false);
    const restarted = await startMemcached({ port: server.port });
    cleanup.push(() => restarted.stop());
    await waitForState(cache, 'connected');

    const root = actorFrame.sessionId;
    const isRootSnapshot = (f: Frame) => f.type === '@xstate.snapshot' && f.sessionId === root;
    const reconnectedAt = (f: Frame) => isRootSnapshot(f) && stateName(f.snapshot?.value) === 'connected';
    await reader.waitFor(reconnectedAt, 'connected again');
    const states = reader.frames.filter(isRootSnapshot).map((f) => stateName(f.snapshot?.value));
    const story = states.filter((s, i) => s !== states[i - 1]);
    expect(story).toEqual(['degraded', 'reconnecting.waiting', 'reconnecting.probing', 'connected']);
    expect(reader.frames.some((f) => f.type === '@xstate.event' && f.event?.type === 'CALL.FAILED')).toBe(true);
    // The probe is an actor of its own, announced when it starts.
    expect(reader.frames.some((f) => f.type === '@xstate.actor' && f.name === 'probe')).toBe(true);

    const everything = [...reader.raw, ...printed].join('\n');
    expect(everything).not.toContain(PASSWORD);
  });

  it('serves 127.0.0.1 only, refuses foreign pages, and stop() closes every socket and the listener', async () => {
    const { inspector } = await inspectedClient('127.0.0.1:1');
    const port = Number(new URL(inspector.url).port);
    expect(await httpGet(port, '127.0.0.1')).toBe(200);
    // On Linux all of 127/8 reaches the loopback interface: a listener on 0.0.0.0 would answer here.
    expect(await httpGet(port, '127.0.0.2')).toBe('ECONNREFUSED');
    // DNS rebinding: a foreign name resolved to 127.0.0.1 by an attacker's page.
    expect(await httpGet(port, '127.0.0.1', { host: `evil.example:${port}` })).toBe(403);
    const foreign = new WebSocket(inspector.webSocketUrl, { origin: 'https://evil.example' });
    const refused = await new Promise<string>((resolve) => {
      foreign.once('error', (err) => resolve(err.message));
      foreign.once('open', () => resolve('opened'));
    });
    expect(refused).toContain('403');

    const reader = new FrameReader(inspector.webSocketUrl);
    await reader.opened();
    const closed = new Promise((resolve) => reader.socket.once('close', resolve));
    await inspector.stop();
    await closed;
    expect(await httpGet(port, '127.0.0.1')).toBe('ECONNREFUSED');
    await inspector.stop(); // idempotent
  });

  it('rejects with the Node error when the port is taken, instead of crashing the process', async () => {
    const { inspector } = await inspectedClient('127.0.0.1:1');
    const port = Number(new URL(inspector.url).port);
    const other = createClient({ servers: '127.0.0.1:1' });
    cleanup.push(() => other.close());
    await expect(startInspector(other, { port, print: false })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('rejects bad options with a typed error', async () => {
    const cache = createClient({ servers: '127.0.0.1:1' });
    cleanup.push(() => cache.close());
    await expect(startInspector(cache, { port: 70000 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(startInspector({} as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    const started: RunningInspector[] = [];
    await expect(
      startInspector(cache, { redact: ['ok', 1 as unknown as string] }).then((i) => started.push(i)),
    ).rejects.toThrow(/redact/);
    expect(started).toHaveLength(0);
  });
});
