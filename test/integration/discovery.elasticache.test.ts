import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { ReconnectingClient } from '../../src/client/ReconnectingClient';
import { DISCOVERY_CHANNEL, type DiscoveryChange } from '../../src/core/channels';
import { type Clock, systemClock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';
import { ElastiCacheEndpoint } from '../../src/testing/ElastiCacheEndpoint';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { DiscoveryWatch } from '../support/DiscoveryWatch';
import { runScript } from '../support/runScript';

const cleanup = afterEachCleanup();
const FAST = { timeoutMs: 1000, allowedFailuresBeforeHealing: 2, recoveryDelayMs: 40, maxRecoveryDelayMs: 320 };
const KEYS = Array.from({ length: 200 }, (_, i) => `moving-${i}`);

async function memcached(): Promise<MemcachedProcess> {
  const server = await startMemcached();
  cleanup(() => server.stop());
  return server;
}

async function endpointListing(...servers: MemcachedProcess[]): Promise<ElastiCacheEndpoint> {
  const endpoint = await ElastiCacheEndpoint.start(nodes(...servers));
  cleanup(() => endpoint.stop());
  return endpoint;
}

function nodes(...servers: MemcachedProcess[]) {
  return servers.map((server) => ({ host: 'localhost', ip: '127.0.0.1', port: server.port }));
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const note = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, error: note('error'), warn: note('warn'), info: note('info'), debug: note('debug') };
}

function discoveringClient(endpoint: ElastiCacheEndpoint, logger = recordingLogger(), intervalMs = 100) {
  const name = `elasticache-${Math.random()}`;
  const cache = createClient({ ...FAST, name, logger, discovery: { elasticache: endpoint.address, intervalMs } });
  cleanup(() => cache.close());
  return { cache, logger, name, watch: new DiscoveryWatch(cache) };
}

function published(name: string): DiscoveryChange[] {
  const changes: DiscoveryChange[] = [];
  const listener = (message: unknown) => {
    if ((message as DiscoveryChange).client === name) changes.push(message as DiscoveryChange);
  };
  diagnosticsChannel.subscribe(DISCOVERY_CHANNEL, listener);
  cleanup(() => diagnosticsChannel.unsubscribe(DISCOVERY_CHANNEL, listener));
  return changes;
}

async function hits(cache: Client, keys: readonly string[]): Promise<string[]> {
  const result = await cache.getMulti(keys);
  if (!result.ok) throw new Error(`getMulti answered ${result.reason}`);
  return keys.filter((key) => result.items.has(key));
}

async function totalConnections(cache: Client, server: MemcachedProcess): Promise<string | undefined> {
  return (await cache.stats()).get(server.address)?.get('total_connections');
}

describe('discovery from an ElastiCache configuration endpoint', () => {
  it('starts with no servers, then serves the listed ones; adds and removes servers as the endpoint does', async () => {
    const [a, b] = [await memcached(), await memcached()];
    const endpoint = await endpointListing(a);
    const { cache, logger, name, watch } = discoveringClient(endpoint);
    const changes = published(name);

    const first = await watch.next('applied');
    expect(first).toMatchObject({ version: 1, added: [a.address], removed: [] });
    expect(cache.servers().map((s) => s.server)).toEqual([a.address]);
    await cache.setMulti(KEYS.map((key) => ({ key, value: 'v' })));
    expect(await hits(cache, KEYS)).toEqual(KEYS);
    const actorOfA = cache.connectionActor(a.address);
    const connectionsToA = await totalConnections(cache, a);

    endpoint.setNodes(nodes(a, b));
    expect(await watch.next('applied')).toMatchObject({ version: 2, added: [b.address], removed: [] });
    expect(
      cache
        .servers()
        .map((s) => s.server)
        .sort(),
    ).toEqual([a.address, b.address].sort());
    // A kept its actor and its connection: no new connection to it was opened.
    expect(cache.connectionActor(a.address)).toBe(actorOfA);
    expect(await totalConnections(cache, a)).toBe(connectionsToA);
    // About half the keys are B's now: they miss there until written again, where B holds them.
    const stayed = await hits(cache, KEYS);
    const moved = KEYS.filter((key) => !stayed.includes(key));
    expect(stayed.length).toBeGreaterThan(0);
    expect(moved.length).toBeGreaterThan(0);
    await cache.setMulti(moved.map((key) => ({ key, value: 'v' })));
    const direct = createClient({ ...FAST, servers: b.address });
    cleanup(() => direct.close());
    expect(await hits(direct, KEYS)).toEqual(moved);

    endpoint.setNodes(nodes(b));
    expect(await watch.next('applied')).toMatchObject({ version: 3, added: [], removed: [a.address] });
    expect(cache.servers().map((s) => s.server)).toEqual([b.address]);
    expect(actorOfA.getSnapshot().value).toBe('closed');
    expect(await hits(cache, KEYS)).toEqual(moved);

    expect(changes.map(({ version, added, removed, servers }) => ({ version, added, removed, servers }))).toEqual([
      { version: 1, added: [a.address], removed: [], servers: [a.address] },
      { version: 2, added: [b.address], removed: [], servers: [a.address, b.address].sort() },
      { version: 3, added: [], removed: [a.address], servers: [b.address] },
    ]);
    expect(changes[0]?.source).toBe(`elasticache ${endpoint.address}`);
    const infos = logger.lines.filter((line) => line.startsWith('info memcached servers from'));
    expect(infos).toHaveLength(3);
    expect(infos[2]).toContain(`(version 3): ${b.address} (removed ${a.address})`);
  });

  it('applies a list only when its version is newer', async () => {
    const [a, b] = [await memcached(), await memcached()];
    const endpoint = await endpointListing(a);
    endpoint.setNodes(nodes(a), 5);
    const { cache, watch } = discoveringClient(endpoint);
    await watch.next('applied');
    endpoint.setNodes(nodes(b), 4);
    expect(await watch.next('unchanged')).toEqual({ type: 'unchanged', version: 4, stale: true });
    endpoint.setNodes(nodes(b), 5);
    expect(await watch.next('unchanged')).toEqual({ type: 'unchanged', version: 5, stale: true });
    expect(cache.servers().map((s) => s.server)).toEqual([a.address]);
    endpoint.setNodes(nodes(b), 6);
    expect(await watch.next('applied')).toMatchObject({ version: 6, added: [b.address], removed: [a.address] });
  });

  it('starts from the servers given, and keeps their connections when the endpoint lists them', async () => {
    const a = await memcached();
    const endpoint = await endpointListing(a);
    const cache = createClient({
      ...FAST,
      servers: a.address,
      discovery: { elasticache: endpoint.address, intervalMs: 100 },
    });
    cleanup(() => cache.close());
    const actor = cache.connectionActor(a.address);
    const watch = new DiscoveryWatch(cache);
    expect(await cache.set({ key: 'k', value: 'v' })).toBe(true);
    expect(await watch.next('unchanged')).toMatchObject({ stale: false });
    expect(cache.connectionActor(a.address)).toBe(actor);
  });

  it('keeps the last list while the endpoint is down, retrying with the backoff, and applies the next list', async () => {
    const [a, b] = [await memcached(), await memcached()];
    const endpoint = await endpointListing(a);
    const { cache, logger, watch } = discoveringClient(endpoint);
    await watch.next('applied');
    await endpoint.refuse();
    const retries = [];
    for (let i = 0; i < 4; i++) retries.push(await watch.next('retry.scheduled'));
    // The client's backoff: random in [d, 2d), d doubling from recoveryDelayMs up to maxRecoveryDelayMs.
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    retries.forEach((retry, i) => {
      const d = Math.min(FAST.recoveryDelayMs * 2 ** i, FAST.maxRecoveryDelayMs);
      expect(retry.delayMs).toBeGreaterThanOrEqual(d);
      expect(retry.delayMs).toBeLessThan(2 * d);
    });
    expect(cache.servers().map((s) => s.server)).toEqual([a.address]);
    expect(await cache.set({ key: 'still', value: 'served' })).toBe(true);
    expect(logger.lines.filter((l) => l.startsWith('warn memcached discovery from')).length).toBeGreaterThanOrEqual(4);
    expect(logger.lines.find((l) => l.startsWith('warn'))).toMatch(/ECONNREFUSED.*keeping the last server list/);

    endpoint.setNodes(nodes(b));
    await endpoint.restore();
    expect(await watch.next('applied', 10_000)).toMatchObject({ added: [b.address], removed: [a.address] });
  });

  it('changes nothing on a reply that does not parse, and logs it', async () => {
    const [a, b] = [await memcached(), await memcached()];
    const endpoint = await endpointListing(a);
    const { cache, logger, watch } = discoveringClient(endpoint);
    await watch.next('applied');
    endpoint.answerWith(`CONFIG cluster 0 9\r\n7\nbroken\n\r\nEND\r\n`);
    expect(await watch.next('reply.invalid')).toMatchObject({ reason: 'the entry "broken" is not host|ip|port' });
    endpoint.answerWith('ERROR\r\n');
    expect(await watch.next('reply.invalid')).toMatchObject({ reason: expect.stringContaining('"ERROR\\r"') });
    expect(cache.servers().map((s) => s.server)).toEqual([a.address]);
    expect(logger.lines).toContainEqual(
      `warn memcached discovery from elasticache ${endpoint.address} answered no server list (the entry "broken" is not host|ip|port); keeping the last server list`,
    );
    endpoint.setNodes(nodes(b));
    expect(await watch.next('applied', 10_000)).toMatchObject({ added: [b.address] });
  });

  it('stops polling on close(), leaving no timer pending', async () => {
    const a = await memcached();
    const endpoint = await endpointListing(a);
    const pending = new Set<unknown>();
    const clock: Clock = {
      now: () => systemClock.now(),
      setTimeout(fn, ms) {
        const handle = systemClock.setTimeout(() => {
          pending.delete(handle);
          fn();
        }, ms);
        pending.add(handle);
        return handle;
      },
      clearTimeout(handle) {
        pending.delete(handle);
        systemClock.clearTimeout(handle);
      },
    };
    const cache = createClient({ ...FAST, clock, discovery: { elasticache: endpoint.address, intervalMs: 20 } });
    cleanup(() => cache.close());
    const watch = new DiscoveryWatch(cache);
    await watch.next('applied');
    await watch.next('unchanged');
    expect(pending.size).toBeGreaterThan(0);
    await cache.close();
    expect(watch.events.at(-1)).toEqual({ type: 'stopped' });
    expect((cache as ReconnectingClient).discoveryActor?.getSnapshot().status).toBe('done');
    expect(pending.size).toBe(0);
  });

  // Polls every 50 ms, each on a socket of its own: neither the timers nor those sockets may hold it.
  it('never keeps the process alive: a script that does not close() exits by itself', async () => {
    const a = await memcached();
    const endpoint = await endpointListing(a);
    const { code, output } = await runScript(`
      const cache = createClient({ discovery: { elasticache: '${endpoint.address}', intervalMs: 50 } });
      while (cache.servers().length === 0) await new Promise((resolve) => setImmediate(resolve));
      console.log(cache.servers().map((s) => s.server).join());
    `);
    expect(output.trim()).toBe(a.address);
    expect(code).toBe(0);
  });
});
