import Memcached from 'memcached';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { memcachedPackageCodec } from '../../src/codec/memcachedPackageCodec';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';

// The `memcached` npm package (a dev dependency) and this client with memcachedPackageCodec() on
// one real memcached: a rolling deploy from one to the other shares every key both ways.
const cleanup = afterEachCleanup();

const VALUES: Record<string, unknown> = {
  object: { name: 'Ada', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null }, text: 'line\r\nbreak é' },
  array: [1, 'two', { three: 3 }],
  number: 42.5,
  negative: -7,
  string: 'héllo\nwörld \\ with a backslash before\\\r\nCRLF',
  empty: '',
  buffer: Buffer.from([0, 1, 13, 10, 0x5c, 0x7f, 0x80, 0xc3, 0xff]),
  boolean: true,
};

async function both() {
  const server = await startMemcached();
  cleanup(() => server.stop());
  const theirs = new Memcached(server.address, { timeout: 2000, retries: 0 });
  cleanup(() => theirs.end());
  const ours = createClient({ servers: [server.address], codec: memcachedPackageCodec(), timeoutMs: 2000 });
  cleanup(() => ours.close());
  const set = (key: string, value: unknown) =>
    new Promise<void>((resolve, reject) => theirs.set(key, value, 0, (err) => (err ? reject(err) : resolve())));
  const get = (key: string) =>
    new Promise<unknown>((resolve, reject) => theirs.get(key, (err, data) => (err ? reject(err) : resolve(data))));
  return { ours, theirs: { set, get } };
}

describe('the memcached package and memcachedPackageCodec()', () => {
  it('the package writes objects, numbers, strings and Buffers; this client reads them equal', async () => {
    const { ours, theirs } = await both();
    for (const [key, value] of Object.entries(VALUES)) await theirs.set(key, value);
    for (const [key, value] of Object.entries(VALUES)) {
      const read = await ours.get(key);
      expect(read.ok && read.item, key).toBeTruthy();
      expect(read.ok && read.item?.value, key).toEqual(value);
    }
  });

  it('this client writes them; the package reads them back equal', async () => {
    const { ours, theirs } = await both();
    for (const [key, value] of Object.entries(VALUES)) expect(await ours.set({ key, value })).toBe(true);
    for (const [key, value] of Object.entries(VALUES)) {
      const read = await theirs.get(key);
      // The package answers an empty string as '' and every other value typed by its flag.
      expect(read, key).toEqual(value);
      if (Buffer.isBuffer(value)) expect(Buffer.isBuffer(read)).toBe(true);
    }
  });

  it('getMulti reads a mix the package wrote, each by its own flag', async () => {
    const { ours, theirs } = await both();
    for (const [key, value] of Object.entries(VALUES)) await theirs.set(key, value);
    const read = await ours.getMulti(Object.keys(VALUES));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(Object.fromEntries([...read.items].map(([key, item]) => [key, item.value]))).toEqual(VALUES);
  });
});

describe('the memcached package and this client over three servers', () => {
  it("agree on where keys live with distribution 'ketama' (the package's hashring in ketama mode)", async () => {
    const servers = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
    for (const server of servers) cleanup(() => server.stop());
    const addresses = servers.map((server) => server.address);
    const theirs = new Memcached(addresses, { timeout: 2000, retries: 0 });
    cleanup(() => theirs.end());
    const ours = createClient({ servers: addresses, codec: memcachedPackageCodec(), timeoutMs: 2000 });
    cleanup(() => ours.close());

    const fromPackage = Array.from({ length: 300 }, (_, i) => `pkg:${i}`);
    for (const key of fromPackage) {
      await new Promise<void>((resolve, reject) =>
        theirs.set(key, { key }, 0, (err) => (err ? reject(err) : resolve())),
      );
    }
    const read = await ours.getMulti(fromPackage);
    expect(read.ok && read.items.size).toBe(300);

    const fromUs = Array.from({ length: 300 }, (_, i) => `ours:${i}`);
    for (const key of fromUs) expect(await ours.set({ key, value: { key } })).toBe(true);
    const found = await new Promise<Record<string, unknown>>((resolve, reject) =>
      theirs.getMulti(fromUs, (err, data) => (err ? reject(err) : resolve(data))),
    );
    expect(Object.keys(found).sort()).toEqual([...fromUs].sort());
    // Each server holds a share: the keys really are spread, not all on one.
    const direct = await Promise.all(
      addresses.map(async (address) => {
        const one = createClient({ servers: [address], timeoutMs: 2000 });
        cleanup(() => one.close());
        const hits = await one.getMulti(fromUs);
        return hits.ok ? hits.items.size : 0;
      }),
    );
    expect(Math.min(...direct)).toBeGreaterThan(50);
  });
});
