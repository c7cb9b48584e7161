import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portFactory } from '../../src/client/createClient';
import { resolveOptions } from '../../src/config/options';
import { parseServers } from '../../src/config/parseServers';
import { ServerError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { memjsPortFactory } from '../../src/memjs/MemjsPort';
import type { MemcachedPort, WireItem } from '../../src/port/MemcachedPort';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { type PortCommands, portCommands } from '../support/portCommands';
import { PROTOCOL } from '../support/protocol';

// The port's commands (the adapter of the test project's protocol), round trip by round trip against
// a real memcached: what each request builder sends is what memcached understands, and each answer
// is read as memcached means it. Both adapters answer the same.
describe(`${PROTOCOL} port commands against a real memcached`, () => {
  let memcached: MemcachedProcess;
  let port: MemcachedPort;
  let on: PortCommands;
  let n = 0;
  const fresh = (name: string) => `${name}:${++n}`;
  const item = (key: string, value: string, flags = 0, expiration = 0): WireItem => ({
    key,
    value: Buffer.from(value),
    flags,
    expiration,
  });
  // A Unix time in the past: memcached treats the item as expired at once (its clock, no sleep).
  const PAST = Math.floor(Date.now() / 1000) - 3600;

  beforeAll(async () => {
    memcached = await startMemcached();
    const [server] = parseServers(memcached.address);
    port = portFactory(resolveOptions({ servers: memcached.address, timeoutMs: 2000, connectTimeoutMs: 2000 }))(
      server!,
    );
    on = portCommands(port);
  });
  afterAll(async () => {
    port.close();
    await memcached.stop();
  });

  it('add stores only an absent key; replace only a present one', async () => {
    const key = fresh('add');
    expect(await on.store('replace', item(key, 'r'))).toBe('not_found');
    expect(await on.store('add', item(key, 'a', 7))).toBe('stored');
    expect(await on.store('add', item(key, 'again'))).toBe('exists');
    expect(await port.get(key)).toEqual({ key, value: Buffer.from('a'), flags: 7 });
    expect(await on.store('replace', item(key, 'r', 9))).toBe('stored');
    expect(await port.get(key)).toEqual({ key, value: Buffer.from('r'), flags: 9 });
    await port.set(key, Buffer.from('s'), 0, 0);
    expect(await port.get(key)).toEqual({ key, value: Buffer.from('s'), flags: 0 });
  });

  it('append and prepend need the key; keep its flags', async () => {
    const key = fresh('concat');
    expect(await on.concat('append', key, Buffer.from('x'))).toBe('not_stored');
    expect(await on.concat('prepend', key, Buffer.from('x'))).toBe('not_stored');
    await port.set(key, Buffer.from('mid'), 3, 0);
    expect(await on.concat('append', key, Buffer.from('>'))).toBe('stored');
    expect(await on.concat('prepend', key, Buffer.from('<'))).toBe('stored');
    expect(await port.get(key)).toEqual({ key, value: Buffer.from('<mid>'), flags: 3 });
  });

  it('gets reads the CAS value; cas stores only while it is unchanged', async () => {
    const key = fresh('cas');
    expect(await on.gets(key)).toBeUndefined();
    expect(await on.cas(item(key, 'v'), 1n)).toBe('not_found');
    await port.set(key, Buffer.from('one'), 1, 0);
    const first = await on.gets(key);
    expect(first).toMatchObject({ key, value: Buffer.from('one'), flags: 1 });
    expect(typeof first?.cas).toBe('bigint');
    expect(await on.cas(item(key, 'two', 2), first!.cas)).toBe('stored');
    expect(await on.cas(item(key, 'three'), first!.cas)).toBe('exists');
    const second = await on.gets(key);
    expect(second).toMatchObject({ value: Buffer.from('two'), flags: 2 });
    expect(second!.cas).not.toBe(first!.cas);
  });

  it('counters: absent without initial, created with it, 64 bits exact, non-numeric refused', async () => {
    const key = fresh('counter');
    expect(await on.counter('incr', key, 1n, undefined, 0)).toBeUndefined();
    expect(await port.get(key)).toBeUndefined();
    expect(await on.counter('incr', key, 5n, 10n, 0)).toBe(10n);
    expect(await on.counter('incr', key, 5n, 10n, 0)).toBe(15n);
    expect(await on.counter('decr', key, 100n, undefined, 0)).toBe(0n);
    const big = 2n ** 64n - 2n;
    expect(await on.counter('incr', key, big, undefined, 0)).toBe(big);
    expect(await on.counter('incr', key, 1n, undefined, 0)).toBe(2n ** 64n - 1n);
    expect(await on.counter('incr', key, 1n, undefined, 0)).toBe(0n); // memcached wraps at 2^64
    await port.set(key, Buffer.from('not a number'), 0, 0);
    await expect(on.counter('incr', key, 1n, undefined, 0)).rejects.toBeInstanceOf(ServerError);
  });

  it('touch and gat find the key and move its expiration; a past time expires it', async () => {
    const key = fresh('touch');
    expect(await on.touch(key, 0)).toBe(false);
    expect(await on.gat(key, 0)).toBeUndefined();
    await port.set(key, Buffer.from('v'), 4, 0);
    expect(await on.gat(key, 3600)).toEqual({ key, value: Buffer.from('v'), flags: 4 });
    expect(await on.touch(key, PAST)).toBe(true);
    expect(await port.get(key)).toBeUndefined();
  });

  it('an item stored with a past expiration is gone at once', async () => {
    const key = fresh('expired');
    expect(await on.store('add', item(key, 'v', 0, PAST))).toBe('stored');
    expect(await port.get(key)).toBeUndefined();
  });

  it('setMulti stores every item in one round and names each refused key', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => fresh(`multi${i}`));
    const tooLarge = fresh('huge');
    const alsoTooLarge = fresh('huge');
    const huge = (key: string) => ({ ...item(key, ''), value: Buffer.alloc(2 << 20) });
    const items = [...keys.map((k, i) => item(k, `v${i}`, i)), huge(tooLarge)];
    items.splice(10, 0, huge(alsoTooLarge)); // a refusal mid-batch is named by its own opaque
    expect(await on.setMulti(items)).toEqual([alsoTooLarge, tooLarge]);
    const got = await on.getMulti([...keys, tooLarge, alsoTooLarge]);
    expect(got.size).toBe(keys.length);
    for (const [i, k] of keys.entries()) expect(got.get(k)).toEqual({ key: k, value: Buffer.from(`v${i}`), flags: i });
    expect(await on.setMulti([])).toEqual([]);
    // The port is still in step after a refusal in a batch.
    expect(await on.version()).toMatch(/^\d+\.\d+/);
  });

  it('setMulti across the 2^32 wrap of request ids still names each refused key', async () => {
    const [server] = parseServers(memcached.address);
    const settings = { timeoutMs: 2000, connectTimeoutMs: 2000, logger: silentLogger, firstRequestId: 2 ** 32 - 5 };
    // The line ports have no request ids of their own (they match by order, meta by opaque too): the
    // same batch, their own port.
    const wrapping =
      PROTOCOL !== 'binary'
        ? portFactory(resolveOptions({ servers: memcached.address, timeoutMs: 2000 }))(server!)
        : memjsPortFactory(settings)(server!);
    try {
      const keys = Array.from({ length: 10 }, (_, i) => fresh(`wrap${i}`));
      const items = keys.map((k, i) => (i % 3 === 1 ? { ...item(k, ''), value: Buffer.alloc(2 << 20) } : item(k, 'v')));
      expect(await portCommands(wrapping).setMulti(items)).toEqual(keys.filter((_, i) => i % 3 === 1));
      expect((await portCommands(wrapping).getMulti(keys)).size).toBe(keys.length - 3);
    } finally {
      wrapping.close();
    }
  });

  it('deleteMulti deletes present keys and ignores absent ones', async () => {
    const keys = [fresh('del'), fresh('del'), fresh('del')];
    await port.set(keys[0]!, Buffer.from('a'), 0, 0);
    await port.set(keys[2]!, Buffer.from('c'), 0, 0);
    await on.deleteMulti([...keys, keys[0]!]);
    expect((await on.getMulti(keys)).size).toBe(0);
    expect(await on.delete(keys[0]!)).toBe(false);
  });

  it('stats, version, flush', async () => {
    const stats = await on.stats();
    expect(stats.get('pid')).toBe(String(memcached.process.pid));
    expect(Number(stats.get('curr_connections'))).toBeGreaterThan(0);
    expect(await on.version()).toBe(stats.get('version'));
    const key = fresh('flush');
    await port.set(key, Buffer.from('v'), 0, 0);
    await on.flush();
    expect(await port.get(key)).toBeUndefined();
  });
});
