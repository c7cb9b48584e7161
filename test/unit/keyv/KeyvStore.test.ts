import { describe, expect, it } from 'vitest';
import type { Client, SetItem } from '../../../src/api/Client';
import type { Item } from '../../../src/api/Item';
import { CLOSED, type GetMultiResult, type GetResult, type StoreResult } from '../../../src/api/results';
import { KeyvStore } from '../../../src/keyv';

/**
 * Just the calls KeyvStore makes, over a Map, recording each set; `down` answers not-ok;
 * `beforeAdd` runs as an add reaches the fake (another process writing first).
 */
function fakeClient() {
  const items = new Map<string, Item>();
  const sets: SetItem[] = [];
  const fake = {
    down: false,
    closed: false,
    beforeAdd: (): void => {},
    items,
    sets,
    async get(key: string): Promise<GetResult> {
      return fake.down ? CLOSED : { ok: true, item: items.get(key) };
    },
    async getMulti(keys: readonly string[]): Promise<GetMultiResult> {
      if (fake.down) return CLOSED;
      const hits = new Map<string, Item>();
      for (const key of keys) if (items.has(key)) hits.set(key, items.get(key) as Item);
      return { ok: true, items: hits, unavailable: [] };
    },
    async set(item: SetItem): Promise<boolean> {
      if (fake.down) return false;
      sets.push(item);
      items.set(item.key, { key: item.key, value: Buffer.from(item.value), flags: item.flags ?? 0 });
      return true;
    },
    async add(item: SetItem): Promise<StoreResult> {
      if (fake.down) return CLOSED;
      fake.beforeAdd();
      if (items.has(item.key)) return { ok: true, stored: false, status: 'not_stored' };
      items.set(item.key, { key: item.key, value: Buffer.from(item.value), flags: item.flags ?? 0 });
      return { ok: true, stored: true };
    },
    async delete(key: string): Promise<boolean> {
      if (fake.down) return false;
      items.delete(key);
      return true;
    },
    subscribe: () => () => {},
    async close() {
      fake.closed = true;
    },
  };
  return fake;
}

function storeOver(fake: ReturnType<typeof fakeClient>, random = () => 0.5) {
  const store = new KeyvStore(fake as unknown as Client, { random });
  store.namespace = 'ns';
  return store;
}

describe('KeyvStore', () => {
  it("turns Keyv's ttl in milliseconds into memcached's expiration in seconds, one more than rounded up", async () => {
    const fake = fakeClient();
    const store = storeOver(fake);
    await store.set('ns:a', 'v');
    await store.set('ns:b', 'v', 1500);
    await store.set('ns:c', 'v', 1);
    const month = 31 * 24 * 3600 * 1000;
    const before = Math.floor(Date.now() / 1000);
    await store.set('ns:d', 'v', month);
    await store.set('ns:e', 'v', 2000);
    await store.set('ns:f', 'v', Date.UTC(2200, 0, 1) - Date.now());
    await store.set('ns:g', 'v', Number.POSITIVE_INFINITY);
    await store.set('ns:h', 'v', Date.UTC(2040, 0, 1) - Date.now());
    const expirations = Object.fromEntries(fake.sets.map((s) => [s.key, s.expiration ?? 0]));
    expect(expirations['ns:a']).toBe(0);
    // memcached's clock ticks once a second: stored for N seconds, an item may live only N - 1.
    expect(expirations['ns:b']).toBe(3);
    expect(expirations['ns:c']).toBe(2);
    expect(expirations['ns:e']).toBe(3);
    // Past 30 days memcached reads a Unix time.
    expect(expirations['ns:d']).toBeGreaterThanOrEqual(before + month / 1000 + 1);
    expect(expirations['ns:d']).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + month / 1000 + 1);
    // Past the last Unix time every protocol carries (2^31 - 1, in 2038): no expiry in memcached,
    // Keyv expires the item itself.
    expect(expirations['ns:f']).toBe(0);
    expect(expirations['ns:g']).toBe(0);
    expect(expirations['ns:h']).toBe(0);
  });

  it("counts the client's keyPrefix in memcached's 250 bytes: a key that fits only without it is hashed", async () => {
    const fake = Object.assign(fakeClient(), { keyPrefix: 'app:' });
    const store = storeOver(fake);
    const fitting = `ns:${'k'.repeat(243)}`; // 246 bytes, 250 with the prefix
    const over = `${fitting}k`;
    await store.set(fitting, '1');
    await store.set(over, '2');
    expect(fake.items.has(fitting)).toBe(true);
    expect(fake.items.has(over)).toBe(false);
    expect(await store.getMany([fitting, over])).toEqual(['1', '2']);
  });

  it('refuses a client whose keyPrefix leaves no room for the hashed keys', () => {
    const fake = Object.assign(fakeClient(), { keyPrefix: 'p'.repeat(185) });
    expect(() => new KeyvStore(fake as unknown as Client)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'keyPrefix' }),
    );
    expect(
      () => new KeyvStore(Object.assign(fakeClient(), { keyPrefix: 'p'.repeat(184) }) as unknown as Client),
    ).not.toThrow();
  });

  it('writes every item with its namespace generation in the flags, and reads only that generation', async () => {
    const fake = fakeClient();
    const store = storeOver(fake, () => 0.25);
    expect(await store.set('ns:a', 'one')).toBe(true);
    expect(fake.items.get('keyv-generation:ns')?.value.toString()).toBe(String(2 ** 30));
    expect(fake.items.get('ns:a')?.flags).toBe(2 ** 30);
    expect(await store.get('ns:a')).toBe('one');
    fake.items.set('ns:b', { key: 'ns:b', value: Buffer.from('stale'), flags: 12 });
    expect(await store.get('ns:b')).toBeUndefined();
    expect(await store.getMany(['ns:a', 'ns:b', 'ns:c'])).toEqual(['one', undefined, undefined]);
  });

  it('a generation another process creates between the read and the add is the one used', async () => {
    const fake = fakeClient();
    const store = storeOver(fake, () => 0.25);
    fake.beforeAdd = () => {
      fake.items.set('keyv-generation:ns', { key: 'keyv-generation:ns', value: Buffer.from('7'), flags: 0 });
    };
    expect(await store.set('ns:a', 'one')).toBe(true);
    expect(readGeneration(fake)).toBe(7);
    expect(fake.items.get('ns:a')?.flags).toBe(7);
    expect(await store.get('ns:a')).toBe('one');
  });

  it('a generation key holding no generation is replaced, not left to fail every set', async () => {
    const fake = fakeClient();
    const store = storeOver(fake, () => 0.25);
    fake.items.set('keyv-generation:ns', { key: 'keyv-generation:ns', value: Buffer.from('junk'), flags: 0 });
    expect(await store.set('ns:a', 'one')).toBe(true);
    expect(readGeneration(fake)).toBe(2 ** 30);
    expect(await store.get('ns:a')).toBe('one');
  });

  it('a clear() that memcached could not store is stored before the next read, which misses until then', async () => {
    const fake = fakeClient();
    let draws = 0;
    const store = storeOver(fake, () => [0.1, 0.2, 0.3][draws++] ?? 0.9);
    await store.set('ns:a', 'one');
    fake.down = true;
    await expect(store.clear()).resolves.toBeUndefined();
    fake.down = false;
    expect(await store.get('ns:a')).toBeUndefined();
    expect(readGeneration(fake)).toBe(Math.floor(0.3 * 2 ** 32));
    // Stored once: the next read does not clear again.
    await store.set('ns:a', 'two');
    expect(await store.get('ns:a')).toBe('two');
  });

  it('delete answers whether the key was there; deleteMany whether all were', async () => {
    const fake = fakeClient();
    const store = storeOver(fake);
    await store.set('ns:a', '1');
    await store.set('ns:b', '2');
    expect(await store.delete('ns:a')).toBe(true);
    expect(await store.delete('ns:a')).toBe(false);
    expect(await store.deleteMany(['ns:b', 'ns:c'])).toBe(false);
    expect(fake.items.has('ns:b')).toBe(false);
    expect(await store.deleteMany([])).toBe(false);
  });

  it("hashes keys memcached cannot take, and any that starts like the store's own keys", async () => {
    const fake = fakeClient();
    const store = storeOver(fake);
    await store.set('ns:with space', '1');
    await store.set('keyv-sha256:abc', '2');
    await store.set('keyv-generation:ns', '3');
    const keys = [...fake.items.keys()].filter((k) => !k.startsWith('keyv-generation:'));
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^keyv-sha256:[\w-]{43}$/);
    expect(await store.get('ns:with space')).toBe('1');
    expect(await store.get('keyv-sha256:abc')).toBe('2');
    expect(await store.get('keyv-generation:ns')).toBe('3');
  });

  it('while the client answers not-ok: misses and false, never a throw', async () => {
    const fake = fakeClient();
    const store = storeOver(fake);
    fake.down = true;
    expect(await store.get('ns:a')).toBeUndefined();
    expect(await store.has('ns:a')).toBe(false);
    expect(await store.hasMany(['ns:a'])).toEqual([false]);
    expect(await store.set('ns:a', 'v')).toBe(false);
    expect(await store.delete('ns:a')).toBe(false);
  });
});

function readGeneration(fake: ReturnType<typeof fakeClient>): number {
  return Number(fake.items.get('keyv-generation:ns')?.value.toString());
}
