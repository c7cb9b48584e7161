import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { KeyvStore } from '../../src/keyv';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// Keys, ttls and namespaces as Keyv hands them to the store, against a real memcached.
let server: MemcachedProcess;
let cache: Client;

beforeAll(async () => {
  server = await startMemcached();
  cache = createClient({ servers: [server.address], timeoutMs: 2000 });
});
afterAll(async () => {
  await cache?.close();
  await server?.stop();
});

const elapse = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyvStore ttls', () => {
  it("never lets memcached expire an item before Keyv's ttl: read at ttl - 100 ms, every item is there", async () => {
    const keyv = new Keyv({ store: new KeyvStore(cache), namespace: 'early' });
    await keyv.set('warm', 'v'); // connected, and the namespace has its generation: each set is one round trip
    // memcached's clock ticks once a second: sets spread over one second meet it at every phase.
    const offsets = [0, 250, 500, 750];
    const reads = offsets.flatMap((offset) =>
      [1000, 1500, 2000].map(async (ttl) => {
        await elapse(offset);
        const key = `${ttl}@${offset}`;
        const setAt = performance.now();
        expect(await keyv.set(key, 'v', ttl)).toBe(true);
        // Keyv's ttl runs from the set: read 100 ms before it ends.
        await elapse(setAt + ttl - 100 - performance.now());
        const value = await keyv.get(key);
        // A read answered after the ttl (a loaded machine ran it late) may rightly miss: it proves nothing.
        return { key, ttl, value, inTime: performance.now() <= setAt + ttl };
      }),
    );
    const inTime = (await Promise.all(reads)).filter((read) => read.inTime);
    expect(inTime.filter((read) => read.value === undefined).map((read) => read.key)).toEqual([]);
    expect(new Set(inTime.map((read) => read.ttl))).toEqual(new Set([1000, 1500, 2000]));
  });

  it('a ttl reaching past 2038 or 2106 (beyond what a protocol carries) stores the item, and Keyv still reads it', async () => {
    const keyv = new Keyv({ store: new KeyvStore(cache), namespace: 'far' });
    const toYear2200 = Date.UTC(2200, 0, 1) - Date.now();
    const toYear2040 = Date.UTC(2040, 0, 1) - Date.now();
    for (const ttl of [toYear2040, toYear2200, Number.MAX_SAFE_INTEGER, 1e300]) {
      expect(await keyv.set(`t${ttl}`, 'v', ttl)).toBe(true);
      expect(await keyv.get(`t${ttl}`)).toBe('v');
    }
    const store = new KeyvStore(cache);
    await expect(store.set('far:direct', 'v', toYear2200)).resolves.toBe(true);
  });
});

describe('KeyvStore keys', () => {
  it('with a client keyPrefix, a key that fits only without the prefix is hashed, not refused', async () => {
    const prefixed = createClient({ servers: [server.address], keyPrefix: 'app:' });
    try {
      const keyv = new Keyv({ store: new KeyvStore(prefixed), namespace: 'ns' });
      // 'ns:' and this key are 248 bytes: 252 with the 4-byte prefix.
      const key = 'k'.repeat(245);
      expect(await keyv.set(key, 'long')).toBe(true);
      expect(await keyv.get(key)).toBe('long');
      expect(await keyv.getMany([key, 'other'])).toEqual(['long', undefined]);
      expect(await keyv.delete(key)).toBe(true);
    } finally {
      await prefixed.close();
    }
  });

  it('keys that differ only in a lone surrogate are distinct items', async () => {
    const keyv = new Keyv({ store: new KeyvStore(cache), namespace: 'lone' });
    expect(await keyv.set('user\uD800', 'high')).toBe(true);
    expect(await keyv.set('user\uDBFF', 'other high')).toBe(true);
    expect(await keyv.set('user\uDC00', 'low')).toBe(true);
    expect(await keyv.set('user\uFFFD', 'replacement')).toBe(true);
    expect(await keyv.getMany(['user\uD800', 'user\uDBFF', 'user\uDC00', 'user\uFFFD'])).toEqual([
      'high',
      'other high',
      'low',
      'replacement',
    ]);
  });

  it("no namespace reaches the store's own keys: a namespace named keyv-generation leaves others alone", async () => {
    const users = new Keyv({ store: new KeyvStore(cache), namespace: 'users' });
    expect(await users.set('a', 'kept')).toBe(true);
    for (const namespace of ['keyv-generation', 'keyv-generation-sha256', 'keyv-sha256', 'keyv-']) {
      const intruder = new Keyv({ store: new KeyvStore(cache), namespace });
      expect(await intruder.set('users', 'x')).toBe(true);
      expect(await intruder.set('', 'x')).toBe(true);
      await intruder.clear();
      expect(await users.get('a')).toBe('kept');
    }
  });

  it('namespaces memcached cannot take in a key (spaces, lone surrogates, very long) each keep their own generation', async () => {
    const names = ['with space', 'x'.repeat(300), 'lone\uD800', 'lone\uDBFF'];
    const stores = names.map((namespace) => new Keyv({ store: new KeyvStore(cache), namespace }));
    for (const [i, keyv] of stores.entries()) expect(await keyv.set('k', names[i])).toBe(true);
    await stores[2]?.clear();
    expect(await Promise.all(stores.map((keyv) => keyv.get('k')))).toEqual([names[0], names[1], undefined, names[3]]);
  });
});
