import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { jsonCodec } from '../../src/codec/jsonCodec';
import type { ClientOptions } from '../../src/config/options';
import { DecodeError } from '../../src/core/errors';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { heldLoader } from '../support/heldLoader';
import { PROTOCOL } from '../support/protocol';

// fetch and invalidate against a real memcached, for the protocol of the test project: the
// guarantees README "Read-through with fetch" gives each protocol.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function memcached(): Promise<MemcachedProcess> {
  const server = await startMemcached();
  cleanup.push(() => server.stop());
  return server;
}

function client<V = Buffer, In = Buffer | string>(
  server: MemcachedProcess,
  options: Partial<ClientOptions<V, In>> = {},
): Client<V, In> {
  const cache = createClient<V, In>({ servers: server.address, timeoutMs: 1000, ...options });
  cleanup.push(() => cache.close());
  return cache;
}

const elapse = (ms: number) => new Promise<true>((resolve) => setTimeout(() => resolve(true), ms));

async function storedValue(cache: Client, key: string): Promise<string | undefined> {
  const got = await cache.get(key);
  return got.ok ? got.item?.value.toString() : got.reason;
}

describe(`fetch (${PROTOCOL})`, () => {
  it('200 concurrent fetches of a cold key call the loader once and all answer its value', async () => {
    const cache = client(await memcached());
    const loader = heldLoader('cold-value');
    const fetches = Array.from({ length: 200 }, () => cache.fetch('cold', loader.load, { ttl: 60 }));
    await new Promise((resolve) => setImmediate(resolve));
    loader.release();
    const values = await Promise.all(fetches);
    expect(loader.calls).toBe(1);
    expect(new Set(values.map((v) => v.toString()))).toEqual(new Set(['cold-value']));
    // It was stored: the next fetch is a hit.
    expect((await cache.fetch('cold', loader.load, { ttl: 60 })).toString()).toBe('cold-value');
    expect(loader.calls).toBe(1);
    expect(await cache.get('cold')).toMatchObject({ ok: true, item: { value: Buffer.from('cold-value') } });
  });

  it('a loader that throws rejects every fetch sharing it with its error; the next fetch loads again', async () => {
    const cache = client(await memcached());
    const boom = new Error('database down');
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(boom);
    };
    const results = await Promise.allSettled([1, 2, 3].map(() => cache.fetch('fails', failing, { ttl: 60 })));
    expect(results.map((r) => r.status === 'rejected' && r.reason)).toEqual([boom, boom, boom]);
    expect(calls).toBe(1);
    // The winner gave its placeholder back: the next fetch loads at once instead of waiting it out.
    expect((await cache.fetch('fails', () => 'second', { ttl: 60, timeoutMs: 5000 })).toString()).toBe('second');
  });

  it('rejects bad input with a typed error before any I/O', async () => {
    const cache = client(await memcached());
    const load = () => 'x';
    await expect(cache.fetch('bad key', load, { ttl: 1 })).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' });
    await expect(cache.fetch('k', load, { ttl: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_EXPIRATION' });
    await expect(cache.fetch('k', load, { ttl: 1, staleTtl: 0.5 })).rejects.toMatchObject({
      code: 'ERR_INVALID_EXPIRATION',
    });
    await expect(cache.fetch('k', 'nope' as never, { ttl: 1 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(cache.fetch('k', load, { ttl: 1, timeoutMs: 0 })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(cache.fetch('k', load, undefined as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(cache.invalidate('bad key', { staleTtl: 5 })).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' });
    expect(await cache.get('k')).toEqual({ ok: true, item: undefined });
  });

  it('signal aborts the wait, not the loader: the others sharing it still get its value', async () => {
    const cache = client(await memcached());
    const loader = heldLoader('late');
    const controller = new AbortController();
    const aborted = cache.fetch('abort', loader.load, { ttl: 60, signal: controller.signal });
    const other = cache.fetch('abort', loader.load, { ttl: 60 });
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    loader.release();
    expect((await other).toString()).toBe('late');
    expect(loader.calls).toBe(1);
  });

  it(`after invalidate: 50 concurrent fetches ${PROTOCOL === 'meta' ? 'answer the stale value at once, one refresh runs' : 'share one load (invalidate deletes)'}`, async () => {
    const server = await memcached();
    const cache = client(server);
    const other = client(server); // another connection: as another process would be
    await cache.fetch('hot', () => 'old', { ttl: 60 });
    expect(await cache.invalidate('hot', { staleTtl: 30 })).toBe(true);
    const refresh = heldLoader('new');
    const fetches = Array.from({ length: 50 }, () => cache.fetch('hot', refresh.load, { ttl: 60 }));
    if (PROTOCOL === 'meta') {
      // Answered while the refresh is still held: stale-while-revalidate.
      const values = await Promise.all(fetches);
      expect(values.map((v) => v.toString())).toEqual(Array(50).fill('old'));
      // Another connection is answered stale too, and does not refresh: memcached gave the win once.
      const otherRefresh = heldLoader('other');
      expect((await other.fetch('hot', otherRefresh.load, { ttl: 60 })).toString()).toBe('old');
      expect(otherRefresh.calls).toBe(0);
      expect(refresh.calls).toBe(1);
      refresh.release();
      // The refresh stores in the background, with the CAS of the stale item it won.
      await expect.poll(() => storedValue(cache, 'hot')).toBe('new');
    } else {
      await new Promise((resolve) => setImmediate(resolve));
      refresh.release();
      const values = await Promise.all(fetches);
      expect(values.map((v) => v.toString())).toEqual(Array(50).fill('new'));
    }
    expect(refresh.calls).toBe(1);
    expect((await other.fetch('hot', () => 'never', { ttl: 60 })).toString()).toBe('new');
  });
});

describe(`fetch (${PROTOCOL}) over a value the codec cannot decode`, () => {
  // get answers such a value `reason: 'decode'`; a read-through cache has nothing to answer but the
  // loader's value, so fetch treats it as a miss and stores the fresh value over it.
  it('calls the loader once, answers its value, stores it over the bad bytes and warns', async () => {
    const server = await memcached();
    const raw = client(server);
    expect(await raw.set({ key: 'doc', value: '{not json', expiration: 60 })).toBe(true);
    const warnings: unknown[][] = [];
    const logger = { error() {}, info() {}, debug() {}, warn: (...args: unknown[]) => void warnings.push(args) };
    const json = client<{ n: number }, { n: number }>(server, { codec: jsonCodec<{ n: number }>(), logger });
    const undecodable = await json.get('doc');
    expect(undecodable).toMatchObject({ ok: false, reason: 'decode' });
    let calls = 0;
    const loader = () => {
      calls++;
      return { n: calls };
    };
    const fetches = Array.from({ length: 10 }, () => json.fetch('doc', loader, { ttl: 60 }));
    expect(await Promise.all(fetches)).toEqual(Array(10).fill({ n: 1 }));
    expect(calls).toBe(1);
    expect(warnings.map(([, err]) => err)).toEqual([expect.any(DecodeError)]);
    expect(await json.get('doc')).toMatchObject({ ok: true, item: { value: { n: 1 } } });
    expect(await storedValue(raw, 'doc')).toBe('{"n":1}');
    // Now a hit: the loader is not called again.
    expect(await json.fetch('doc', loader, { ttl: 60 })).toEqual({ n: 1 });
    expect(calls).toBe(1);
  });

  it(`${PROTOCOL === 'meta' ? 'stores with the CAS it read: a value written meanwhile is kept' : `stores with a plain set (${PROTOCOL} has no lease to hold)`}`, async () => {
    const server = await memcached();
    const raw = client(server);
    expect(await raw.set({ key: 'raced', value: '{not json', expiration: 60 })).toBe(true);
    const json = client<string, string>(server, { codec: jsonCodec<string>() });
    // The loader runs after fetch has read the bad bytes: another writer stores a good value first.
    const loaded = json.fetch(
      'raced',
      async () => {
        expect(await raw.set({ key: 'raced', value: '"theirs"', expiration: 60 })).toBe(true);
        return 'mine';
      },
      { ttl: 60 },
    );
    expect(await loaded).toBe('mine');
    expect(await json.get('raced')).toMatchObject({
      ok: true,
      item: { value: PROTOCOL === 'meta' ? 'theirs' : 'mine' },
    });
  });

  if (PROTOCOL === 'meta') {
    it('a stale value that does not decode is not answered: its winner loads and stores in the foreground', async () => {
      const server = await memcached();
      const raw = client(server);
      expect(await raw.set({ key: 'stale', value: '{not json', expiration: 60 })).toBe(true);
      const json = client<string, string>(server, { codec: jsonCodec<string>() });
      expect(await json.invalidate('stale', { staleTtl: 30 })).toBe(true);
      let calls = 0;
      const fresh = () => {
        calls++;
        return 'fresh';
      };
      expect(await json.fetch('stale', fresh, { ttl: 60 })).toBe('fresh');
      expect(calls).toBe(1);
      // Stored with the win's CAS: a hit now, neither stale nor undecodable.
      expect(await json.fetch('stale', fresh, { ttl: 60 })).toBe('fresh');
      expect(calls).toBe(1);
    });
  }
});

describe(`fetch (${PROTOCOL}) across expiry`, () => {
  it(`a key read steadily across its expiry with recacheBefore ${PROTOCOL === 'meta' ? 'never misses' : 'misses (recacheBefore is meta only)'}`, async () => {
    const cache = client(await memcached());
    const options = { ttl: 2, recacheBefore: 1 }; // memcached counts whole seconds
    await cache.fetch('steady', () => 'v0', options);
    // Every load is held until the fetch that started it has answered, or has waited 250 ms for it:
    // a fetch that waits for the loader is a miss.
    let release: (() => void) | undefined;
    let loads = 0;
    const loader = () => {
      loads++;
      return new Promise<string>((resolve) => {
        release = () => resolve(`v${loads}`);
      });
    };
    let reads = 0;
    let missed = 0;
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      const answer = cache.fetch('steady', loader, options);
      if (await Promise.race([answer.then(() => false), elapse(250)])) missed++;
      release?.();
      release = undefined;
      expect((await answer).toString()).toMatch(/^v\d+$/);
      reads++;
      await elapse(20); // a steady reader, not a wait for state
    }
    expect(reads).toBeGreaterThan(10);
    expect(loads).toBeGreaterThanOrEqual(1); // it was refreshed (or reloaded) across its expiry
    if (PROTOCOL === 'meta') expect(missed).toBe(0);
    else expect(missed).toBeGreaterThan(0);
  });
});
