import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import type { DistributionName } from '../../src/distribution/Distribution';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { python } from '../support/python';

// pylibmc (Debian's python3-pylibmc, libmemcached underneath) and this client over the same three
// real memcached processes: every key one writes, the other finds on the same server.
const cleanup = afterEachCleanup();

async function threeServers(): Promise<string[]> {
  const servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  for (const server of servers) cleanup(() => server.stop());
  return servers.map((server) => server.address);
}

const SETTINGS: Array<[string, DistributionName, Record<string, boolean>, DistributionName]> = [
  ["{'ketama_weighted': True}", 'ketama', { ketama_weighted: true }, 'ketama-unweighted'],
  ["{'ketama': True}", 'ketama-unweighted', { ketama: true }, 'ketama'],
];

describe('pylibmc and this client agree on where 1,000 keys live', () => {
  it.each(SETTINGS)('pylibmc behaviors=%s, distribution %s', async (_, distribution, behaviors, other) => {
    const servers = await threeServers();
    const open = (d: DistributionName) => {
      const cache = createClient({ servers, distribution: d, timeoutMs: 2000 });
      cleanup(() => cache.close());
      return cache;
    };
    const cache = open(distribution);

    const fromPython = Array.from({ length: 1000 }, (_, i) => `py:${i}:${'x'.repeat(i % 7)}`);
    await python({ op: 'write-keys', client: 'pylibmc', servers, behaviors, keys: fromPython });
    const read = await cache.getMulti(fromPython);
    if (!read.ok) throw new Error(`getMulti not ok: ${read.reason}`);
    expect(read.unavailable).toEqual([]);
    expect(read.items.size).toBe(1000);
    for (const key of fromPython) expect(read.items.get(key)?.value.toString()).toBe(`from-python:${key}`);

    // The other ring finds only some of them: the check above can fail.
    const wrong = await open(other).getMulti(fromPython);
    expect(wrong.ok && wrong.items.size).toBeLessThan(700);

    const fromNode = Array.from({ length: 1000 }, (_, i) => `node:${i}`);
    const stored = await Promise.all(fromNode.map((key) => cache.set({ key, value: `from-node:${key}` })));
    expect(stored.every(Boolean)).toBe(true);
    const found = await python<string[]>({ op: 'found-keys', client: 'pylibmc', servers, behaviors, keys: fromNode });
    expect(found).toEqual([...fromNode].sort());
  });
});
