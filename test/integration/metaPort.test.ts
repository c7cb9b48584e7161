import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetaPort } from '../../src/meta/MetaPort';
import type { WireItem } from '../../src/meta/metaContract';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// The meta port's commands against a real memcached, below the facade: the answers the port
// contract (PLAN.md, src/port/MemcachedPort.ts) promises, status answers resolving.
let server: MemcachedProcess;
let port: MetaPort;
beforeAll(async () => {
  server = await startMemcached();
  port = new MetaPort({ host: '127.0.0.1', port: server.port }, { timeoutMs: 2000, connectTimeoutMs: 2000 });
});
afterAll(async () => {
  port.close();
  await server.stop();
});

const item = (key: string, value: string | Buffer, flags = 0, expiration = 0): WireItem => ({
  key,
  value: typeof value === 'string' ? Buffer.from(value) : value,
  flags,
  expiration,
});

describe('MetaPort against a real memcached', () => {
  it('stores by mode and by CAS, answering memcached refusals as statuses', async () => {
    expect(await port.store('add', item('m1', 'a', 5))).toBe('stored');
    expect(await port.store('add', item('m1', 'b'))).toBe('exists');
    expect(await port.store('replace', item('m-none', 'b'))).toBe('not_found');
    expect(await port.store('replace', item('m1', 'c', 6))).toBe('stored');
    const got = await port.gets('m1');
    expect(got).toMatchObject({ key: 'm1', value: Buffer.from('c'), flags: 6 });
    const cas = got!.cas;
    expect(await port.cas(item('m1', 'd'), cas + 1n)).toBe('exists');
    expect(await port.cas(item('m1', 'd', 7), cas)).toBe('stored');
    expect(await port.cas(item('m-none', 'd'), cas)).toBe('not_found');
    expect(await port.get('m1')).toEqual({ key: 'm1', value: Buffer.from('d'), flags: 7 });
    expect(await port.concat('append', 'm1', Buffer.from('>'))).toBe('stored');
    expect(await port.concat('prepend', 'm1', Buffer.from('<'))).toBe('stored');
    expect(await port.concat('append', 'm-none', Buffer.from('x'))).toBe('not_stored');
    expect(await port.get('m1')).toEqual({ key: 'm1', value: Buffer.from('<d>'), flags: 7 });
  });

  it('counts, touches, deletes', async () => {
    expect(await port.counter('incr', 'c1', 5n, undefined, 0)).toBeUndefined();
    expect(await port.counter('incr', 'c1', 5n, 10n, 0)).toBe(10n);
    expect(await port.counter('incr', 'c1', 5n, 10n, 0)).toBe(15n);
    expect(await port.counter('decr', 'c1', 100n, undefined, 0)).toBe(0n);
    expect(await port.counter('incr', 'c1', 2n ** 64n - 1n, undefined, 0)).toBe(2n ** 64n - 1n);
    await port.set('text', Buffer.from('abc'), 0, 0);
    await expect(port.counter('incr', 'text', 1n, undefined, 0)).rejects.toMatchObject({ code: 'ERR_SERVER' });
    expect(await port.touch('text', 100)).toBe(true);
    expect(await port.touch('t-none', 100)).toBe(false);
    expect(await port.gat('text', 200)).toEqual({ key: 'text', value: Buffer.from('abc'), flags: 0 });
    expect(await port.gat('t-none', 200)).toBeUndefined();
    expect(await port.delete('text')).toBe(true);
    expect(await port.delete('text')).toBe(false);
  });

  it('multi-key commands in one quiet batch each: hits, refused keys by name, deletes', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 1); // over memcached's 1 MB item limit
    const refused = await port.setMulti([
      item('s1', 'one', 1),
      item('s-huge', huge),
      item('s2', Buffer.alloc(600, 2)),
      item('s3', 'three', 3),
      item('s-huge2', huge),
    ]);
    expect(refused.sort()).toEqual(['s-huge', 's-huge2']);
    const hits = await port.getMulti(['s1', 's-huge', 's2', 's3', 's-none']);
    expect([...hits.keys()].sort()).toEqual(['s1', 's2', 's3']);
    expect(hits.get('s3')).toEqual({ key: 's3', value: Buffer.from('three'), flags: 3 });
    await port.deleteMulti(['s1', 's2', 's-none']);
    expect([...(await port.getMulti(['s1', 's2', 's3'])).keys()]).toEqual(['s3']);
  });

  it('pipelines: a thousand calls of one tick all answer, each its own', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    await Promise.all(keys.map((key) => port.set(key, Buffer.from(`v-${key}`), 0, 0)));
    const got = await Promise.all(keys.map((key) => port.get(key)));
    expect(got.map((g) => g?.value.toString())).toEqual(keys.map((key) => `v-${key}`));
  });

  it('answers version and stats, flushes', async () => {
    expect(await port.version()).toMatch(/^\d+\.\d+\.\d+/);
    const stats = await port.stats();
    expect(stats.get('version')).toBe(await port.version());
    expect(Number(stats.get('curr_connections'))).toBeGreaterThan(0);
    await port.flush();
    expect(await port.get('s3')).toBeUndefined();
    await expect(port.ping()).resolves.toBeUndefined();
    expect(port.received).toBeGreaterThan(0);
  });

  it('after close(), calls reject with a ConnectionError and nothing reconnects', async () => {
    const own = new MetaPort({ host: '127.0.0.1', port: server.port }, { timeoutMs: 500, connectTimeoutMs: 500 });
    const pending = own.get('x');
    own.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
    await expect(own.get('x')).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
  });
});
