import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { Logger } from '../../src/core/logger';
import { freePort, type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { DiscoveryWatch } from '../support/DiscoveryWatch';
import { LoopbackDns } from '../support/LoopbackDns';

const cleanup = afterEachCleanup();
const FAST = { timeoutMs: 1000, allowedFailuresBeforeHealing: 2, recoveryDelayMs: 40, maxRecoveryDelayMs: 320 };

/** A memcached answering on `host:port` (and on a port of its own on 127.0.0.1, which it is started by). */
async function memcachedOn(host: string, port: number): Promise<MemcachedProcess> {
  const args = host === '127.0.0.1' ? [] : ['-l', `${host.includes(':') ? `[${host}]` : host}:${port}`];
  const server = await startMemcached(host === '127.0.0.1' ? { port } : { args });
  cleanup(() => server.stop());
  return server;
}

async function loopbackDns(): Promise<LoopbackDns> {
  const dns = await LoopbackDns.start();
  cleanup(() => dns.stop());
  return dns;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const note = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, error: note('error'), warn: note('warn'), info: note('info'), debug: note('debug') };
}

function discoveringClient(discovery: Parameters<typeof createClient>[0]['discovery'] & object) {
  const logger = recordingLogger();
  const cache = createClient({ ...FAST, logger, discovery });
  cleanup(() => cache.close());
  return { cache, logger, watch: new DiscoveryWatch(cache) };
}

/** A client discovering `cache.test:port`, which a loopback DNS answers at first with 127.0.0.1 alone. */
async function discoveringByName(port: number) {
  const dns = await loopbackDns();
  dns.set('cache.test', { a: ['127.0.0.1'] });
  return { dns, ...discoveringClient({ dns: `cache.test:${port}`, intervalMs: 100, resolver: dns.resolver() }) };
}

async function roundTrip(cache: Client, key: string): Promise<boolean> {
  return (await cache.set({ key, value: key })) && (await cache.get(key)).ok;
}

describe('discovery from DNS A and AAAA records', () => {
  it('serves every address of the name on the port, and follows the records as they change', async () => {
    const port = await freePort();
    await memcachedOn('127.0.0.1', port);
    await memcachedOn('127.0.0.2', port);
    await memcachedOn('::1', port);
    const { dns, cache, logger, watch } = await discoveringByName(port);
    const [one, two, six] = [`127.0.0.1:${port}`, `127.0.0.2:${port}`, `[::1]:${port}`];

    expect(await watch.next('applied')).toMatchObject({ added: [one], removed: [] });
    expect(await roundTrip(cache, 'first')).toBe(true);
    const actorOfOne = cache.connectionActor(one);

    dns.set('cache.test', { a: ['127.0.0.2', '127.0.0.1'], aaaa: ['::1'] });
    expect(await watch.next('applied')).toMatchObject({ added: [two, six].sort(), removed: [] });
    expect(cache.servers().map((s) => s.server)).toEqual([one, two, six].sort());
    expect(cache.connectionActor(one)).toBe(actorOfOne);
    // Every server answers: the keys spread over the three.
    await cache.ping();
    for (let i = 0; i < 30; i++) expect(await roundTrip(cache, `spread-${i}`)).toBe(true);

    // The same records in another order change nothing.
    dns.set('cache.test', { a: ['127.0.0.1', '127.0.0.2'], aaaa: ['::1'] });
    expect(await watch.next('unchanged')).toMatchObject({ stale: false });

    dns.set('cache.test', { a: ['127.0.0.2'], aaaa: ['::1'] });
    expect(await watch.next('applied')).toMatchObject({ added: [], removed: [one] });
    expect(actorOfOne.getSnapshot().value).toBe('closed');
    expect(logger.lines).toContainEqual(
      `info memcached servers from dns cache.test:${port}: ${[two, six].sort().join(', ')} (removed ${one})`,
    );
  });

  it('keeps the last list while DNS fails, retrying with the backoff', async () => {
    const port = await freePort();
    await memcachedOn('127.0.0.1', port);
    await memcachedOn('127.0.0.2', port);
    const { dns, cache, logger, watch } = await discoveringByName(port);
    await watch.next('applied');
    dns.fail();
    const first = await watch.next('retry.scheduled');
    const second = await watch.next('retry.scheduled');
    expect([first.attempt, second.attempt]).toEqual([1, 2]);
    // The client's backoff, random in [d, 2d): d is recoveryDelayMs, then twice that.
    const d = FAST.recoveryDelayMs;
    expect(first.delayMs).toBeGreaterThanOrEqual(d);
    expect(first.delayMs).toBeLessThan(2 * d);
    expect(second.delayMs).toBeGreaterThanOrEqual(2 * d);
    expect(second.delayMs).toBeLessThan(4 * d);
    expect(cache.servers().map((s) => s.server)).toEqual([`127.0.0.1:${port}`]);
    expect(await roundTrip(cache, 'during')).toBe(true);
    expect(logger.lines.find((line) => line.startsWith('warn'))).toMatch(/ESERVFAIL.*keeping the last server list/);

    // A name that is gone is a failure too, not an empty cluster.
    dns.restore();
    dns.remove('cache.test');
    expect(await watch.next('poll.failed')).toMatchObject({ error: expect.objectContaining({ code: 'ENOTFOUND' }) });
    expect(cache.servers().map((s) => s.server)).toEqual([`127.0.0.1:${port}`]);
    dns.set('cache.test', { a: ['127.0.0.2'] });
    expect(await watch.next('applied', 10_000)).toMatchObject({ added: [`127.0.0.2:${port}`] });
  });
});

describe('discovery from DNS SRV records', () => {
  it('serves the targets of the lowest priority, each with its weight', async () => {
    const [a, b] = [await memcachedOn('127.0.0.1', await freePort()), await memcachedOn('127.0.0.1', await freePort())];
    const dns = await loopbackDns();
    const name = '_memcache._tcp.cache.test';
    dns.set(name, {
      srv: [
        { target: '127.0.0.1', port: a.port, weight: 3 },
        { target: '127.0.0.1', port: b.port, weight: 1 },
        { target: '127.0.0.1', port: 1, priority: 10 },
      ],
    });
    const { cache, watch } = discoveringClient({ srv: name, intervalMs: 100, resolver: dns.resolver() });
    expect(await watch.next('applied')).toMatchObject({ added: [a.address, b.address].sort() });
    expect(cache.servers().map(({ server, weight }) => ({ server, weight }))).toEqual(
      [
        { server: a.address, weight: 3 },
        { server: b.address, weight: 1 },
      ].sort((x, y) => (x.server < y.server ? -1 : 1)),
    );
    await cache.ping();

    // A new weight alone is a change: the kept server keeps its connection and takes it.
    const actorOfA = cache.connectionActor(a.address);
    dns.set(name, {
      srv: [
        { target: '127.0.0.1', port: a.port, weight: 1 },
        { target: '127.0.0.1', port: b.port, weight: 1 },
      ],
    });
    expect(await watch.next('applied')).toMatchObject({ added: [], removed: [] });
    expect(cache.servers().find((s) => s.server === a.address)?.weight).toBe(1);
    expect(cache.connectionActor(a.address)).toBe(actorOfA);
  });

  it('changes nothing on an answer that is not a server, and logs it', async () => {
    const a = await memcachedOn('127.0.0.1', await freePort());
    const dns = await loopbackDns();
    const name = '_memcache._tcp.cache.test';
    dns.set(name, { srv: [{ target: '127.0.0.1', port: a.port }] });
    const { cache, logger, watch } = discoveringClient({ srv: name, intervalMs: 100, resolver: dns.resolver() });
    await watch.next('applied');
    dns.set(name, { srv: [{ target: '127.0.0.1', port: 0 }] });
    expect(await watch.next('reply.invalid')).toMatchObject({
      reason: 'DNS answered "127.0.0.1:0", which is not a server address',
    });
    expect(cache.servers().map((s) => s.server)).toEqual([a.address]);
    expect(logger.lines.some((line) => line.startsWith('warn') && line.includes('"127.0.0.1:0"'))).toBe(true);
  });
});
