import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { CommonClientOptions } from '../../src/config/ClientOptions';
import type { ServerList } from '../../src/config/parseServers';
import { parseServers } from '../../src/config/parseServers';
import { ketama } from '../../src/distribution/ketama';
import { serializeFrame } from '../../src/inspect/serializeFrame';
import { type MemcachedProcess, startBlackHole, startMemcached, tempSocketPath } from '../../src/testing/memcached';
import { makeTestCertificates } from '../../src/testing/tlsCertificates';
import { activeResources, waitForResourcesAtBaseline } from '../support/activeResources';
import { expectEveryCommandCovered, ROUND_TRIPS } from '../support/commandRoundTrips';
import { guardProcess } from '../support/processGuard';
import { waitForServerState, waitForState } from '../support/waitForState';

// UNIX socket servers (memcached -s PATH -a 0700), alone and in pools with TCP servers.

const FAST = { timeoutMs: 1000, allowedFailuresBeforeHealing: 2, recoveryDelayMs: 20, maxRecoveryDelayMs: 40 };
let unixServer: MemcachedProcess;
let tcpServer: MemcachedProcess;
const guard = guardProcess();
const clients: Client[] = [];
const folders: string[] = [];
function client(options: Partial<CommonClientOptions> & { servers: ServerList }): Client {
  const cache = createClient({ ...FAST, ...options });
  clients.push(cache);
  return cache;
}
function socketPath(): string {
  const path = tempSocketPath();
  folders.push(dirname(path));
  return path;
}

beforeAll(async () => {
  [unixServer, tcpServer] = await Promise.all([startMemcached({ unixSocket: socketPath() }), startMemcached()]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((cache) => cache.close()));
});
afterAll(async () => {
  guard.dispose();
  await Promise.all([unixServer.stop(), tcpServer.stop()]);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  expect(guard.errors).toEqual([]);
});

describe('UNIX socket: every command round-trips', () => {
  it('the round trips cover every command of the client', () => {
    expectEveryCommandCovered();
  });

  it.each(Object.keys(ROUND_TRIPS))('%s over a UNIX socket', async (command) => {
    const cache = client({ servers: [unixServer.address] });
    await ROUND_TRIPS[command]!(cache, `unix:${command}`);
    expect(cache.servers()).toEqual([expect.objectContaining({ server: unixServer.address, state: 'connected' })]);
  });

  it('unix:/path is the same server, and tls applies to TCP servers only', async () => {
    const certs = makeTestCertificates();
    try {
      const cache = client({ servers: [`unix:${unixServer.address}`], tls: { ca: certs.ca.pem } });
      await ROUND_TRIPS.get!(cache, 'unix:prefixed');
      expect(cache.servers()[0]?.server).toBe(unixServer.address);
    } finally {
      certs.remove();
    }
  });
});

describe('UNIX socket: failures are counted, settle in time, and heal', () => {
  it('the socket file removed, then recreated by a restart: ENOENT is counted, and it heals', async () => {
    const path = socketPath();
    const server = await startMemcached({ unixSocket: path });
    const cache = client({ servers: [path] });
    expect(await cache.set({ key: 'before', value: '1' })).toBe(true);
    await server.stop();
    rmSync(path, { force: true });
    const results = [await cache.get('before'), await cache.get('before')];
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
    }
    // The first failure may be the old socket's close; a new socket finds no file.
    expect(results.some((r) => !r.ok && /no UNIX socket at .*\(ENOENT\)/.test(String(r.error?.message)))).toBe(true);
    await waitForState(cache, 'reconnecting');
    const restarted = await startMemcached({ unixSocket: path });
    try {
      expect(existsSync(path)).toBe(true);
      await waitForState(cache, 'connected');
      expect(await cache.set({ key: 'after', value: '2' })).toBe(true);
      expect(await cache.get('after')).toMatchObject({ ok: true, item: { value: Buffer.from('2') } });
    } finally {
      await restarted.stop();
    }
  });

  it('killed (the socket file stays, refusing), then restarted on the same path: it heals', async () => {
    const path = socketPath();
    const server = await startMemcached({ unixSocket: path });
    const cache = client({ servers: [path] });
    expect(await cache.set({ key: 'k', value: '1' })).toBe(true);
    await server.stop();
    expect(existsSync(path)).toBe(true);
    for (let i = 0; i < 2; i++) expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'connection' });
    await waitForState(cache, 'reconnecting');
    const restarted = await startMemcached({ unixSocket: path });
    try {
      await waitForState(cache, 'connected');
      expect(await cache.get('k')).toEqual({ ok: true, item: undefined });
    } finally {
      await restarted.stop();
    }
  });

  it('a listener that accepts and never answers settles by the call deadline, counted', async () => {
    const hole = await startBlackHole(socketPath());
    try {
      const cache = client({ servers: [hole.address], timeoutMs: 200 });
      const started = performance.now();
      const result = await cache.get('k');
      expect(performance.now() - started).toBeLessThan(1500);
      expect(result).toMatchObject({ ok: false, reason: 'timeout' });
      expect(cache.servers()[0]?.failures).toBe(1);
    } finally {
      await hole.close();
    }
  });
});

describe('UNIX socket: named by its path', () => {
  it('a connection closed under a call: the error and the logs name the path, never path:0', async () => {
    const path = socketPath();
    // Closes each connection as soon as a request arrives on it: the call in flight sees the close.
    const closer = createServer((socket) => socket.once('data', () => socket.destroy()).on('error', () => {}));
    closer.listen(path);
    await once(closer, 'listening');
    const logged: string[] = [];
    const log = (message: string, ...meta: unknown[]) => logged.push([message, ...meta.map(String)].join(' '));
    const logger = { error: log, warn: log, info: log, debug: log };
    try {
      const cache = client({ servers: [path], timeoutMs: 5_000, allowedFailuresBeforeHealing: 1, logger });
      const result = await cache.get('k');
      expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
      const message = String(!result.ok && result.error?.message);
      expect(message).toContain(path);
      expect(message).not.toContain(`${path}:0`);
      await waitForState(cache, 'reconnecting');
      expect(logged.join('\n')).toContain(path);
      for (const line of logged) expect(line).not.toContain(`${path}:0`);
    } finally {
      closer.close();
    }
  });
});

describe('UNIX socket: close()', () => {
  it('leaves no socket or timer behind, connected or while a call waits on a silent peer', async () => {
    const hole = await startBlackHole(socketPath());
    try {
      const baseline = activeResources();
      const connected = createClient({ ...FAST, servers: [unixServer.address] });
      await ROUND_TRIPS.ping!(connected, 'k');
      const waiting = createClient({ ...FAST, servers: [hole.address], timeoutMs: 5000 });
      const pending = waiting.get('k');
      await Promise.all([connected.close(), waiting.close()]);
      expect(await pending).toMatchObject({ ok: false, reason: 'closed' });
      await waitForResourcesAtBaseline(baseline);
    } finally {
      await hole.close();
    }
  });
});

describe('a pool of a UNIX socket server and a TCP server', () => {
  it('answers every key from its own server (libmemcached ketama), and both hold keys', async () => {
    const servers = [unixServer.address, tcpServer.address];
    const cache = client({ servers });
    const keys = Array.from({ length: 200 }, (_, i) => `mixed:${i}`);
    for (const key of keys) expect(await cache.set({ key, value: key })).toBe(true);
    const owner = ketama(parseServers(servers).map((s) => ({ host: s.host, port: s.port, weight: 1 })));
    const direct = servers.map((server) => client({ servers: [server] }));
    const held = [0, 0];
    for (const key of keys) {
      const mine = owner(key);
      held[mine]!++;
      expect(await direct[mine]!.get(key), key).toMatchObject({ ok: true, item: { value: Buffer.from(key) } });
      expect(await direct[1 - mine]!.get(key), key).toEqual({ ok: true, item: undefined });
    }
    expect(held[0]).toBeGreaterThan(40);
    expect(held[1]).toBeGreaterThan(40);
    const multi = await cache.getMulti(keys);
    expect(multi.ok && multi.items.size).toBe(keys.length);
  });

  it('setServers adds and removes a UNIX socket server; servers() and inspector frames name it by its path', async () => {
    const frames: string[] = [];
    const cache = client({ servers: [tcpServer.address], inspect: (event) => frames.push(serializeFrame(event, [])) });
    cache.setServers([tcpServer.address, `unix:${unixServer.address}`]);
    expect(cache.servers().map((s) => s.server)).toEqual([tcpServer.address, unixServer.address]);
    await waitForServerState(cache, unixServer.address, 'connected');
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(cache.connectionActor(unixServer.address).getSnapshot().status).toBe('active');
    cache.setServers([unixServer.address]);
    expect(cache.servers().map((s) => s.server)).toEqual([unixServer.address]);
    await ROUND_TRIPS.getMulti!(cache, 'unix:setServers');
    // The connection actor's id is the path, as the inspector shows it.
    expect(frames.some((frame) => frame.includes(`"id":${JSON.stringify(unixServer.address)}`))).toBe(true);
  });
});
