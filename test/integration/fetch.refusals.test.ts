import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { PROTOCOL } from '../support/protocol';

// A loaded value memcached refuses to store: fetch still answers it, and says so on the logger as
// set does, since nothing else tells the caller the next fetch will load again.
const cleanup = afterEachCleanup();

describe(`fetch (${PROTOCOL}) of a value memcached refuses`, () => {
  it("answers the loaded value and warns as set does: the key and memcached's reason, never the value", async () => {
    // Items of at most 2 KB: the loader's 4 KB value is refused.
    const server = await startMemcached({ args: ['-I', '2k', '-o', 'slab_chunk_max=2048'] });
    cleanup(() => server.stop());
    const warnings: string[] = [];
    const logger = { error() {}, info() {}, debug() {}, warn: (message: string) => void warnings.push(message) };
    const cache = createClient({ servers: server.address, timeoutMs: 1000, logger });
    cleanup(() => cache.close());
    const value = 'v'.repeat(4096);
    let loads = 0;
    const load = () => {
      loads++;
      return value;
    };
    expect((await cache.fetch('big', load, { ttl: 60, timeoutMs: 5000 })).toString()).toBe(value);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"big"');
    expect(warnings[0]).toMatch(/too large/);
    expect(warnings.join('\n')).not.toContain('vvvv');
    expect(await cache.get('big')).toEqual({ ok: true, item: undefined });
    // Nothing left for another fetch to wait on: it loads at once (its wait would be 5 s).
    const started = performance.now();
    expect((await cache.fetch('big', load, { ttl: 60, timeoutMs: 5000 })).toString()).toBe(value);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(loads).toBe(2);
    expect(warnings).toHaveLength(2);
    // The same value through set warns the same way.
    expect(await cache.set({ key: 'big', value })).toBe(false);
    expect(warnings[2]).toMatch(/too large/);
  });
});
