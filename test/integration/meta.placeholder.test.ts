import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';

// While a fetch fills a key over meta, memcached answers every other read of it with the empty
// placeholder the fetch's lease made (`VA 0 ... Z`). A plain read answers that as a miss: the empty
// value was never stored. A value stored empty stays a hit. Meta only: binary has no placeholders.
const cleanup = afterEachCleanup();

async function memcached(): Promise<MemcachedProcess> {
  const server = await startMemcached();
  cleanup(() => server.stop());
  return server;
}

function client(server: MemcachedProcess, protocol: 'meta' | 'text' | 'binary' = 'meta'): Client {
  const cache = createClient({ servers: server.address, timeoutMs: 1000, protocol });
  cleanup(() => cache.close());
  return cache;
}

/** A fetch of `key` whose loader is called, then holds until `release()`. */
async function fillHeld(cache: Client, key: string) {
  let release = (): void => {};
  let started = (): void => {};
  const called = new Promise<void>((resolve) => {
    started = resolve;
  });
  const fetched = cache.fetch(
    key,
    () => {
      started();
      return new Promise<string>((resolve) => {
        release = () => resolve('loaded');
      });
    },
    { ttl: 60 },
  );
  await called;
  return { fetched, release: () => release() };
}

async function plainReads(cache: Client, key: string) {
  const get = await cache.get(key);
  const gets = await cache.gets(key);
  const gat = await cache.gat(key, 60);
  const multi = await cache.getMulti([key, 'other']);
  return {
    get: get.ok ? get.item?.value.toString() : get.reason,
    gets: gets.ok ? gets.item?.value.toString() : gets.reason,
    gat: gat.ok ? gat.item?.value.toString() : gat.reason,
    getMulti: multi.ok ? [...multi.items.keys()] : multi.reason,
  };
}

describe('plain reads (meta) during another client fetch fill', () => {
  it('answer the placeholder as a miss, from this client and from another', async () => {
    const server = await memcached();
    const filler = client(server);
    const other = client(server);
    const fill = await fillHeld(filler, 'filling');
    const miss = { get: undefined, gets: undefined, gat: undefined, getMulti: [] };
    expect(await plainReads(other, 'filling')).toEqual(miss);
    expect(await plainReads(filler, 'filling')).toEqual(miss);
    fill.release();
    expect((await fill.fetched).toString()).toBe('loaded');
    const hit = { get: 'loaded', gets: 'loaded', gat: 'loaded', getMulti: ['filling'] };
    expect(await plainReads(other, 'filling')).toEqual(hit);
  });

  it('answer a placeholder invalidated during its fill as a miss, and leave its refill to the next fetch', async () => {
    const server = await memcached();
    const filler = client(server);
    const other = client(server);
    const fill = await fillHeld(filler, 'raced');
    expect(await other.invalidate('raced', { staleTtl: 30 })).toBe(true);
    const got = await other.get('raced');
    expect(got).toEqual({ ok: true, item: undefined });
    fill.release();
    await fill.fetched;
    let calls = 0;
    const value = await other.fetch('raced', () => `refilled-${++calls}`, { ttl: 60 });
    expect(value.toString()).toBe('refilled-1');
  });

  it('a gets that receives an invalidated placeholder refill gives it back: the next fetch loads at once', async () => {
    const server = await memcached();
    const filler = client(server);
    const other = client(server);
    const fill = await fillHeld(filler, 'regot');
    expect(await other.invalidate('regot', { staleTtl: 30 })).toBe(true);
    expect(await other.gets('regot')).toEqual({ ok: true, item: undefined });
    fill.release();
    await fill.fetched;
    // Kept by the gets, the refill would make this fetch wait out its 5 s before loading.
    const started = performance.now();
    const value = await other.fetch('regot', () => 'refilled', { ttl: 60, timeoutMs: 5_000 });
    expect(value.toString()).toBe('refilled');
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('answer a value stored empty as a hit', async () => {
    const cache = client(await memcached());
    expect(await cache.set({ key: 'empty', value: '', expiration: 60 })).toBe(true);
    const hit = { get: '', gets: '', gat: '', getMulti: ['empty'] };
    expect(await plainReads(cache, 'empty')).toEqual(hit);
  });
});

describe('plain reads over the text and binary protocols during a meta fetch fill', () => {
  for (const protocol of ['text', 'binary'] as const) {
    it(`answer the placeholder as a miss (${protocol}), and the loaded value as a hit`, async () => {
      const server = await memcached();
      const filler = client(server);
      const other = client(server, protocol);
      const fill = await fillHeld(filler, 'filling');
      // Neither protocol shows memcached's lease flags: the placeholder must tell itself apart.
      const miss = { get: undefined, gets: undefined, gat: undefined, getMulti: [] };
      expect(await plainReads(other, 'filling')).toEqual(miss);
      fill.release();
      expect((await fill.fetched).toString()).toBe('loaded');
      const hit = { get: 'loaded', gets: 'loaded', gat: 'loaded', getMulti: ['filling'] };
      expect(await plainReads(other, 'filling')).toEqual(hit);
    });
  }
});
