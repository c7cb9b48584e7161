import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src';
import { InvalidExpirationError, InvalidItemError, InvalidOptionError } from '../../src/core/errors';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// Input a real memcached would take, and misread: a field or an option the command does not have
// (ignored, so `ttl` stored forever) and a Unix time already past (the item dropped at once). Each is
// refused before any I/O: memcached's own counters do not move.
describe('inputs refused before memcached sees them', () => {
  let memcached: MemcachedProcess;
  let cache: Client;
  let n = 0;
  const fresh = (name: string) => `${name}:${++n}`;
  const PAST = Math.floor(Date.now() / 1000) - 3600;

  /** memcached's own counts of the commands that read, store, touch or count. */
  const commandCounts = async () => {
    const stats = [...(await cache.stats()).values()][0]!;
    const names = ['cmd_get', 'cmd_set', 'cmd_touch', 'incr_misses', 'incr_hits', 'total_items'];
    return Object.fromEntries(names.map((name) => [name, stats.get(name)]));
  };

  beforeAll(async () => {
    memcached = await startMemcached();
    cache = createClient({ servers: memcached.address, timeoutMs: 2000, allowedFailuresBeforeHealing: 1 });
  });
  afterAll(async () => {
    // Nothing refused counted as a failure (one would have tripped reconnecting).
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    await cache.close();
    await memcached.stop();
  });

  it('an item field or a call option the command does not have, naming the likely one', async () => {
    const key = fresh('unknown');
    const before = await commandCounts();
    await expect(cache.set({ key, value: 'v', ttl: 1 } as never)).rejects.toThrow(/"ttl".*did you mean expiration\?/);
    await expect(cache.setMulti([{ key, value: 'v', exptime: 1 } as never])).rejects.toBeInstanceOf(InvalidItemError);
    await expect(cache.get(key, { timeout: 1 } as never)).rejects.toThrow(/did you mean timeoutMs\?/);
    await expect(cache.incr(key, 1, { inital: 1 } as never)).rejects.toBeInstanceOf(InvalidOptionError);
    expect(await commandCounts()).toEqual(before);
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
  });

  it('an expiration over 30 days that is a Unix time already past, explaining the 30-day rule', async () => {
    const key = fresh('kept');
    await cache.set({ key, value: 'v', flags: 2 });
    const before = await commandCounts();
    await expect(cache.set({ key, value: 'w', expiration: 3_000_000 })).rejects.toThrow(
      /over 30 days \(2592000 seconds\), so memcached reads it as a Unix time, 1970-02-04T17:20:00\.000Z, which is already past/,
    );
    await expect(cache.touch(key, PAST)).rejects.toBeInstanceOf(InvalidExpirationError);
    await expect(cache.gat(key, PAST)).rejects.toBeInstanceOf(InvalidExpirationError);
    await expect(cache.add({ key: fresh('never'), value: 'v', expiration: PAST })).rejects.toBeInstanceOf(
      InvalidExpirationError,
    );
    await expect(cache.incr(fresh('never'), 1, { initial: 7, expiration: PAST })).rejects.toBeInstanceOf(
      InvalidExpirationError,
    );
    expect(await commandCounts()).toEqual(before);
    // The item is as it was: neither replaced nor expired.
    expect(await cache.get(key)).toEqual({ ok: true, item: { key, value: Buffer.from('v'), flags: 2 } });
  });
});
