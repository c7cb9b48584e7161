import { describe, expect, it } from 'vitest';
import type { Client, GetResult, StateChange } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { ServerList } from '../../src/config/parseServers';
import { ketama } from '../../src/distribution/ketama';
import { type MemcachedProcess, startBlackHole, startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { waitForServerState } from '../support/waitForState';

// Several real memcached processes on loopback, one client over all of them. Short delays so a
// restarted server heals within the test.
const FAST = { timeoutMs: 100, allowedFailuresBeforeHealing: 3, recoveryDelayMs: 50, maxRecoveryDelayMs: 100 };

const cleanup = afterEachCleanup();

async function memcached(port?: number): Promise<MemcachedProcess> {
  const server = await startMemcached({ port });
  cleanup(() => server.stop());
  return server;
}

function client(servers: ServerList, options: Partial<typeof FAST> = {}): Client {
  const cache = createClient({ servers, ...FAST, ...options });
  cleanup(() => cache.close());
  return cache;
}

/** What one server holds, read by a client of that server alone: proof of where a key went. */
async function holds(address: string, keys: readonly string[]): Promise<string[]> {
  const direct = client(address);
  const result = await direct.getMulti(keys);
  if (!result.ok) throw new Error(`${address} not ok: ${result.reason}`);
  return [...result.items.keys()].sort();
}

/** The owner of each key by ketama over `addresses`, from the pure picker, not the client. */
function owners(addresses: readonly string[], keys: readonly string[]): Map<string, string[]> {
  const pick = ketama(addresses.map((a) => ({ host: '127.0.0.1', port: Number(a.split(':')[1]), weight: 1 })));
  const byServer = new Map(addresses.map((a) => [a, [] as string[]]));
  for (const key of keys) byServer.get(addresses[pick(key)] as string)?.push(key);
  return byServer;
}

/** Whether `call` settled before the event loop could do any I/O (a macrotask later). */
async function settlesWithoutIo<T>(call: Promise<T>): Promise<{ settled: boolean; value: T | undefined }> {
  const turn = new Promise<'turn'>((resolve) => setImmediate(() => resolve('turn')));
  const first = await Promise.race([call, turn]);
  return first === 'turn' ? { settled: false, value: undefined } : { settled: true, value: first as T };
}

const KEYS = Array.from({ length: 300 }, (_, i) => `item:${i}`);

describe('three real memcached servers', () => {
  it('one killed server costs only its own keys; it heals alone after a restart on the same port', async () => {
    const servers = [await memcached(), await memcached(), await memcached()];
    const addresses = servers.map((s) => s.address);
    const cache = client(addresses);
    const changes: StateChange[] = [];
    cache.subscribe((change) => changes.push(change));
    const expected = owners(addresses, KEYS);

    const stored = await Promise.all(KEYS.map((key) => cache.set({ key, value: `v-${key}` })));
    expect(stored.every(Boolean)).toBe(true);
    // Each key is on the server ketama names, and every server got a fair share.
    for (const address of addresses) {
      const mine = expected.get(address) as string[];
      expect(await holds(address, KEYS)).toEqual([...mine].sort());
      expect(mine.length).toBeGreaterThan(KEYS.length / 6);
    }

    const [, dead] = servers as [MemcachedProcess, MemcachedProcess, MemcachedProcess];
    const deadKeys = expected.get(dead.address) as string[];
    const liveKeys = KEYS.filter((key) => !deadKeys.includes(key));
    await dead.stop('SIGKILL');
    let probe = 0;
    while (cache.servers()[1]?.state !== 'reconnecting') {
      const result = await cache.get(deadKeys[probe++ % deadKeys.length] as string);
      expect(result).toMatchObject({ ok: false, reason: 'connection' });
    }
    expect(probe).toBe(FAST.allowedFailuresBeforeHealing);

    // The dead server's keys: not-ok at once, without I/O.
    for (const key of deadKeys.slice(0, 20)) {
      const { settled, value } = await settlesWithoutIo(cache.get(key));
      expect(settled).toBe(true);
      expect(value).toEqual({ ok: false, reason: 'reconnecting' });
      expect(cache.connectionAvailable(key)).toBe(false);
    }
    // Everyone else's keys: ok, read from and written to their servers.
    for (const key of liveKeys) {
      expect(await cache.get(key)).toMatchObject({ ok: true, item: { value: Buffer.from(`v-${key}`) } });
      expect(cache.connectionAvailable(key)).toBe(true);
    }
    expect(await cache.set({ key: liveKeys[0] as string, value: 'updated' })).toBe(true);
    const owner = addresses.find((a) => expected.get(a)?.includes(liveKeys[0] as string)) as string;
    const direct = await client(owner).get(liveKeys[0] as string);
    expect(direct.ok && direct.item?.value.toString()).toBe('updated');

    // getMulti: exactly the dead server's share is unavailable; the rest comes back whole.
    const multi = await cache.getMulti(KEYS);
    if (!multi.ok) throw new Error(`getMulti not ok: ${multi.reason}`);
    expect([...multi.unavailable].sort()).toEqual([...deadKeys].sort());
    expect(multi.items.size).toBe(liveKeys.length);
    expect(cache.connectionAvailable()).toBe(false);
    await expect(cache.ping()).rejects.toMatchObject({
      code: 'ERR_PING',
      message: expect.stringContaining(dead.address),
    });

    // Restarted on the same port with an empty cache: the client finds it by itself.
    await memcached(dead.port);
    await waitForServerState(cache, dead.address, 'connected');
    expect(cache.state).toBe('connected');
    expect(await cache.set({ key: deadKeys[0] as string, value: 'back' })).toBe(true);
    expect(await holds(dead.address, [deadKeys[0] as string])).toEqual([deadKeys[0]]);
    await expect(cache.ping()).resolves.toBeUndefined();
    // Only the dead server ever changed state.
    expect(new Set(changes.map((c) => c.server))).toEqual(new Set([dead.address]));
    expect(changes.map((c) => c.state)).toEqual(['degraded', 'reconnecting', 'connected']);
  });

  it('setServers adds and removes a live server under traffic', async () => {
    const [a, b, c] = [await memcached(), await memcached(), await memcached()];
    const cache = client([a.address, b.address]);
    const actorOfA = cache.connectionActor(a.address);
    const results: Array<GetResult | boolean> = [];
    const traffic = async (round: number) => {
      const batch = KEYS.slice(0, 60).map((key) =>
        round % 2 === 0 ? cache.set({ key, value: `r${round}` }) : cache.get(key),
      );
      results.push(...(await Promise.all(batch)));
    };

    await traffic(0);
    const adding = traffic(1);
    cache.setServers([a.address, b.address, c.address]);
    await adding;
    await traffic(2);
    await traffic(3);
    // After the add, writes for c's keys went to c.
    const withC = owners([a.address, b.address, c.address], KEYS.slice(0, 60));
    expect(await holds(c.address, KEYS.slice(0, 60))).toEqual([...(withC.get(c.address) as string[])].sort());

    const removing = traffic(4);
    cache.setServers([a.address, c.address]);
    await removing;
    await traffic(6);
    // After the removal, b's former keys live on a and c; the rounds after it reached them.
    const withoutB = owners([a.address, c.address], KEYS.slice(0, 60));
    for (const address of [a.address, c.address]) {
      const mine = withoutB.get(address) as string[];
      const got = await client(address).getMulti(mine);
      expect(got.ok && [...got.items.values()].every((item) => item.value.toString() === 'r6')).toBe(true);
      expect(got.ok && got.items.size).toBe(mine.length);
    }

    // No call hung or threw. Round 4 was routed before b was removed and b's answers could only come
    // later, so exactly b's share of it settled as closed (false from set); every other call was ok.
    expect(results.length).toBe(6 * 60);
    const bShare = (withC.get(b.address) as string[]).length;
    const notOk = results.filter((r) => r === false || (typeof r === 'object' && !r.ok));
    expect(bShare).toBeGreaterThan(0);
    expect(notOk).toEqual(Array.from({ length: bShare }, () => false));
    expect(results.slice(4 * 60, 5 * 60).filter((r) => r === false).length).toBe(bShare);
    expect(cache.connectionActor(a.address)).toBe(actorOfA);
    expect(cache.servers().map((s) => [s.server, s.state])).toEqual([
      [a.address, 'connected'],
      [c.address, 'connected'],
    ]);
  });
});

describe('two servers, one of which accepts and never answers', () => {
  it('the healthy server’s keys are answered while the black hole’s calls are still waiting', async () => {
    const live = await memcached();
    const hole = await startBlackHole();
    cleanup(() => hole.close());
    const cache = client([live.address, hole.address], { timeoutMs: 1000, allowedFailuresBeforeHealing: 1 });
    const expected = owners([live.address, hole.address], KEYS);
    const holeKey = (expected.get(hole.address) as string[])[0] as string;
    const liveKeys = (expected.get(live.address) as string[]).slice(0, 20);

    let holeSettled = false;
    const stuck = cache.get(holeKey).then((result) => {
      holeSettled = true;
      return result;
    });
    for (const key of liveKeys) expect(await cache.set({ key, value: 'v' })).toBe(true);
    const many = await cache.getMulti(liveKeys);
    expect(many.ok && many.items.size).toBe(liveKeys.length);
    expect(holeSettled).toBe(false);

    expect(await stuck).toMatchObject({ ok: false, reason: 'timeout' });
    expect(cache.servers().map((s) => s.state)).toEqual(['connected', 'reconnecting']);
    const { settled, value } = await settlesWithoutIo(cache.get(holeKey));
    expect(settled && value).toEqual({ ok: false, reason: 'reconnecting' });
    expect(await cache.get(liveKeys[0] as string)).toMatchObject({ ok: true, item: { value: Buffer.from('v') } });
  });
});
