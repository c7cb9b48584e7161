import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { ClientOptions } from '../../src/config/options';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { heldLoader } from '../support/heldLoader';
import { PROTOCOL } from '../support/protocol';

// fetch's placeholder (memcached's lease over meta) against a real memcached: it outlives a slow
// loader, an invalidate racing a fill is never answered as an empty value, and a plain read that
// receives the refresh (W) does not keep it from the next fetch.
const cleanup = afterEachCleanup();

async function memcached(): Promise<MemcachedProcess> {
  const server = await startMemcached();
  cleanup(() => server.stop());
  return server;
}

function client(server: MemcachedProcess, options: Partial<ClientOptions> = {}): Client {
  const cache = createClient({ servers: server.address, timeoutMs: 1000, ...options });
  cleanup(() => cache.close());
  return cache;
}

const elapse = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function storedValue(cache: Client, key: string): Promise<string | undefined> {
  const got = await cache.get(key);
  return got.ok ? got.item?.value.toString() : got.reason;
}

describe(`fetch (${PROTOCOL}): the placeholder outlives the loader`, () => {
  it('12 fetches whose loader takes 1.5 s each store their value (the default placeholder covers it)', async () => {
    const cache = client(await memcached());
    const keys = Array.from({ length: 12 }, (_, i) => `slow:${i}`);
    const values = await Promise.all(
      keys.map((key) =>
        cache.fetch(
          key,
          async () => {
            await elapse(1500);
            return `loaded-${key}`;
          },
          { ttl: 60 },
        ),
      ),
    );
    expect(values.map(String)).toEqual(keys.map((key) => `loaded-${key}`));
    const stored = await Promise.all(keys.map((key) => storedValue(cache, key)));
    expect(stored).toEqual(keys.map((key) => `loaded-${key}`));
  });
});

describe(`fetch (${PROTOCOL}): invalidate during a fill`, () => {
  it('fetches after an invalidate that races a fill answer a loaded value, never an empty one', async () => {
    const server = await memcached();
    const filler = client(server);
    const invalidator = client(server);
    const reader = client(server); // a third connection, as another process
    const fill = heldLoader('filled');
    const filling = filler.fetch('racing', fill.load, { ttl: 60 });
    await fill.started; // the placeholder is there, its loader running
    await invalidator.invalidate('racing', { staleTtl: 30 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? invalidator : reader).fetch('racing', () => (i % 2 === 0 ? 'invalidator' : 'reader'), {
          ttl: 60,
        }),
      ),
    );
    fill.release();
    answers.push(await filling);
    expect(answers.map(String).filter((v) => !['filled', 'invalidator', 'reader'].includes(v))).toEqual([]);
    expect(['invalidator', 'reader', 'filled']).toContain(await storedValue(reader, 'racing'));
  });
});

describe(`fetch (${PROTOCOL}): a plain read of an invalidated key leaves its refresh to fetch`, () => {
  // memcached hands the refresh of a stale item (W) to whichever read sees it first, a plain get too.
  const reads: Record<string, (cache: Client, key: string) => Promise<unknown>> = {
    get: (cache, key) => cache.get(key),
    getMulti: (cache, key) => cache.getMulti([key, 'other-key']),
    gat: (cache, key) => cache.gat(key, 60),
    touch: (cache, key) => cache.touch(key, 60),
  };
  for (const [name, read] of Object.entries(reads)) {
    for (const where of ['the same client', 'another client']) {
      it(`${name} from ${where}, then fetch: one loader call refreshes it`, async () => {
        const server = await memcached();
        const cache = client(server);
        const reader = where === 'the same client' ? cache : client(server);
        await cache.fetch('stale', () => 'old', { ttl: 60 });
        await cache.invalidate('stale', { staleTtl: 30 });
        await read(reader, 'stale');
        let loads = 0;
        const answered = await cache.fetch('stale', () => `new-${++loads}`, { ttl: 60 });
        // Over meta the stale value is answered while the refresh runs; binary and text deleted it.
        expect(answered.toString()).toBe(PROTOCOL === 'meta' ? 'old' : 'new-1');
        await expect.poll(() => storedValue(cache, 'stale')).toBe('new-1');
        expect(loads).toBe(1);
      });
    }
  }
});

describe(`fetch (${PROTOCOL}): a loader that throws`, () => {
  it('gives its placeholder back: another client loads at once instead of waiting for it', async () => {
    const server = await memcached();
    const first = client(server);
    const second = client(server);
    const options = { ttl: 60, leaseTtl: 10, timeoutMs: 5000 };
    const boom = () => Promise.reject(new Error('database down'));
    await expect(first.fetch('thrown', boom, options)).rejects.toThrow('database down');
    const started = performance.now();
    expect((await second.fetch('thrown', () => 'second', options)).toString()).toBe('second');
    // A placeholder left behind would make it wait its whole timeoutMs (5 s; the placeholder lives
    // 10): this bound is a fifth of that, and loading at once takes a few ms.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe(`fetch (${PROTOCOL}): leaseTtl`, () => {
  it('rejects a leaseTtl that is not a whole number of seconds from 1 to 30 days, before any I/O', async () => {
    const cache = client(await memcached());
    for (const leaseTtl of [0, 1.5, -1, 2592001, '5', Number.NaN]) {
      await expect(cache.fetch('k', () => 'x', { ttl: 1, leaseTtl: leaseTtl as number })).rejects.toMatchObject({
        code: 'ERR_INVALID_OPTION',
        option: 'leaseTtl',
      });
    }
    expect(await cache.get('k')).toEqual({ ok: true, item: undefined });
    expect((await cache.fetch('k', () => 'x', { ttl: 1, leaseTtl: 2592000 })).toString()).toBe('x');
  });

  if (PROTOCOL === 'meta') {
    it('a fill whose placeholder was deleted meanwhile (invalidate) stores nothing: its value may be older', async () => {
      const server = await memcached();
      const cache = client(server);
      const fill = heldLoader('read-before-the-change');
      const filling = cache.fetch('changed', fill.load, { ttl: 60 });
      await fill.started;
      expect(await client(server).invalidate('changed')).toBe(true);
      fill.release();
      expect((await filling).toString()).toBe('read-before-the-change');
      expect(await storedValue(cache, 'changed')).toBeUndefined();
    });

    it('a placeholder whose loader never stores is replaced by the first fetch that waited timeoutMs', async () => {
      const server = await memcached();
      const stuck = client(server);
      let started!: () => void;
      const loading = new Promise<void>((resolve) => {
        started = resolve;
      });
      // Its loader never settles: the placeholder stays, as a crashed process leaves it.
      const never = () => {
        started();
        return new Promise<string>(() => {});
      };
      void stuck.fetch('orphan', never, { ttl: 60 });
      await loading;
      const other = client(server);
      let loads = 0;
      const load = () => `mine-${++loads}`;
      expect((await other.fetch('orphan', load, { ttl: 60, timeoutMs: 200 })).toString()).toBe('mine-1');
      expect(await storedValue(other, 'orphan')).toBe('mine-1');
      // Now a hit for everyone: nobody waits on the placeholder any more.
      expect((await other.fetch('orphan', load, { ttl: 60, timeoutMs: 200 })).toString()).toBe('mine-1');
      expect(loads).toBe(1);
    });
  }
});
