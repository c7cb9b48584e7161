import { expect } from 'vitest';
import type { Client } from '../../src/api/Client';
import { ReconnectingClient } from '../../src/client/ReconnectingClient';
import { ADMIN_COMMANDS } from '../../src/commands/adminCommands';
import { KEY_COMMANDS } from '../../src/commands/keyCommands';
import { PROTOCOL } from './protocol';

/**
 * One real round trip per command of the client, each asserting memcached's own answer, for the
 * suites that must show every command works over a transport (TLS, UNIX sockets). Keyed by the
 * facade's method name: `commandsOf()` lists the methods, and a suite checks the table covers
 * them all, so a new command fails those suites until it has its round trip here.
 */
export const ROUND_TRIPS: Readonly<Record<string, (cache: Client, key: string) => Promise<void>>> = {
  async set(cache, key) {
    expect(await cache.set({ key, value: 'v-set', flags: 7, expiration: 60 })).toBe(true);
    expect(await cache.get(key)).toEqual({ ok: true, item: { key, value: Buffer.from('v-set'), flags: 7 } });
  },
  async get(cache, key) {
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
    // A value over one TLS record (16 KB) and several socket reads.
    const big = Buffer.alloc(100_000, 'x');
    expect(await cache.set({ key, value: big })).toBe(true);
    const result = await cache.get(key);
    expect(result).toMatchObject({ ok: true, item: { key, flags: 0 } });
    // Buffer.equals: a deep toEqual walks 100 000 elements one by one, for seconds.
    expect(result.ok && result.item?.value.equals(big)).toBe(true);
  },
  async getMulti(cache, key) {
    const keys = [`${key}:a`, `${key}:b`, `${key}:missing`];
    expect(await cache.set({ key: keys[0]!, value: 'A' })).toBe(true);
    expect(await cache.set({ key: keys[1]!, value: 'B', flags: 2 })).toBe(true);
    const result = await cache.getMulti(keys);
    expect(result).toMatchObject({ ok: true, unavailable: [] });
    expect(result.ok && [...result.items.values()]).toEqual([
      { key: keys[0], value: Buffer.from('A'), flags: 0 },
      { key: keys[1], value: Buffer.from('B'), flags: 2 },
    ]);
  },
  async delete(cache, key) {
    expect(await cache.set({ key, value: 'doomed' })).toBe(true);
    expect(await cache.delete(key)).toBe(true);
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
  },
  async gets(cache, key) {
    expect(await cache.set({ key, value: 'v' })).toBe(true);
    const result = await cache.gets(key);
    expect(result.ok && result.item?.cas).toBeGreaterThan(0n);
  },
  async gat(cache, key) {
    expect(await cache.set({ key, value: 'v', flags: 4 })).toBe(true);
    expect(await cache.gat(key, 60)).toEqual({ ok: true, item: { key, value: Buffer.from('v'), flags: 4 } });
  },
  async gats(cache, key) {
    expect(await cache.set({ key, value: 'v', flags: 4 })).toBe(true);
    const read = await cache.gets(key);
    const cas = read.ok ? read.item?.cas : undefined;
    expect(cas).toBeGreaterThan(0n);
    expect(await cache.gats(key, 60)).toEqual({ ok: true, item: { key, value: Buffer.from('v'), flags: 4, cas } });
  },
  async add(cache, key) {
    expect(await cache.add({ key, value: 'a' })).toEqual({ ok: true, stored: true });
    expect(await cache.add({ key, value: 'b' })).toEqual({ ok: true, stored: false, status: 'exists' });
  },
  async replace(cache, key) {
    expect(await cache.replace({ key, value: 'r' })).toEqual({ ok: true, stored: false, status: 'not_found' });
    expect(await cache.set({ key, value: 'v' })).toBe(true);
    expect(await cache.replace({ key, value: 'r' })).toEqual({ ok: true, stored: true });
  },
  async append(cache, key) {
    expect(await cache.set({ key, value: 'mid' })).toBe(true);
    expect(await cache.append(key, '>')).toEqual({ ok: true, stored: true });
    expect(await cache.get(key)).toMatchObject({ ok: true, item: { value: Buffer.from('mid>') } });
  },
  async prepend(cache, key) {
    expect(await cache.set({ key, value: 'mid' })).toBe(true);
    expect(await cache.prepend(key, '<')).toEqual({ ok: true, stored: true });
    expect(await cache.get(key)).toMatchObject({ ok: true, item: { value: Buffer.from('<mid') } });
  },
  async cas(cache, key) {
    expect(await cache.set({ key, value: 'one' })).toBe(true);
    const read = await cache.gets(key);
    if (!read.ok || read.item === undefined) throw new Error(`gets answered ${JSON.stringify(read)}`);
    expect(await cache.cas({ key, value: 'two', cas: read.item.cas })).toEqual({ ok: true, stored: true });
    expect(await cache.cas({ key, value: 'three', cas: read.item.cas })).toEqual({
      ok: true,
      stored: false,
      status: 'exists',
    });
  },
  async incr(cache, key) {
    expect(await cache.incr(key, 1)).toEqual({ ok: true, value: undefined });
    expect(await cache.incr(key, 1, { initial: 10 })).toEqual({ ok: true, value: 10 });
    expect(await cache.incr(key, 5n)).toEqual({ ok: true, value: 15n });
  },
  async decr(cache, key) {
    expect(await cache.decr(key, 1, { initial: 3 })).toEqual({ ok: true, value: 3 });
    expect(await cache.decr(key, 5)).toEqual({ ok: true, value: 0 });
  },
  async touch(cache, key) {
    expect(await cache.touch(key, 60)).toEqual({ ok: true, found: false });
    expect(await cache.set({ key, value: 't' })).toBe(true);
    expect(await cache.touch(key, 60)).toEqual({ ok: true, found: true });
  },
  async setMulti(cache, key) {
    const items = [
      { key: `${key}:1`, value: 'one' },
      { key: `${key}:2`, value: 'two' },
    ];
    expect(await cache.setMulti(items)).toEqual({ ok: true, failed: [], unavailable: [] });
    const read = await cache.getMulti(items.map((i) => i.key));
    expect(read.ok && read.items.size).toBe(2);
  },
  async deleteMulti(cache, key) {
    expect(await cache.set({ key: `${key}:1`, value: 'x' })).toBe(true);
    expect(await cache.deleteMulti([`${key}:1`, `${key}:absent`])).toEqual({ ok: true, unavailable: [] });
    expect(await cache.get(`${key}:1`)).toEqual({ ok: true, item: undefined });
  },
  async flush(cache, key) {
    expect(await cache.set({ key, value: 'f' })).toBe(true);
    await cache.flush();
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
  },
  async stats(cache) {
    const stats = await cache.stats();
    expect(stats.size).toBe(cache.servers().length);
    for (const perServer of stats.values()) expect(perServer.get('pid')).toMatch(/^\d+$/);
  },
  async version(cache) {
    const versions = await cache.version();
    expect([...versions.values()]).toEqual(cache.servers().map(() => expect.stringMatching(/^\d+\.\d+\.\d+/)));
  },
  async ping(cache) {
    await expect(cache.ping()).resolves.toBeUndefined();
  },
  async fetch(cache, key) {
    let loads = 0;
    const load = () => {
      loads++;
      return 'v-fetch';
    };
    expect((await cache.fetch(key, load, { ttl: 60 })).toString()).toBe('v-fetch');
    expect((await cache.fetch(key, load, { ttl: 60 })).toString()).toBe('v-fetch');
    expect(loads).toBe(1);
  },
  async invalidate(cache, key) {
    expect(await cache.set({ key, value: 'v-old' })).toBe(true);
    expect(await cache.invalidate(key, { staleTtl: 30 })).toBe(true);
    // Over meta the stale value is answered while the loader refreshes it; binary and text deleted it.
    const value = await cache.fetch(key, () => 'v-new', { ttl: 60 });
    expect(value.toString()).toBe(PROTOCOL === 'meta' ? 'v-old' : 'v-new');
  },
};

// The facade's members that are not memcached commands.
const NOT_COMMANDS = new Set([
  'constructor',
  'connectionActor',
  'connectionAvailable',
  'servers',
  'setServers',
  'subscribe',
  'close',
]);

/**
 * The facade's command methods: the ones made from a spec (KEY_COMMANDS, ADMIN_COMMANDS, attached
 * per client), and
 * those read from ReconnectingClient's prototype chain, up to Object.
 */
export function commandsOf(): string[] {
  const names = new Set<string>([...KEY_COMMANDS, ...ADMIN_COMMANDS].map((spec) => spec.name));
  for (let proto = ReconnectingClient.prototype as object; proto !== Object.prototype; ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value === 'function' && !NOT_COMMANDS.has(name) && !name.startsWith('_')) names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object;
  }
  return [...names];
}

/** Fails, naming them, when a command has no round trip in ROUND_TRIPS. */
export function expectEveryCommandCovered(): void {
  const missing = commandsOf().filter((name) => !(name in ROUND_TRIPS));
  expect(missing, 'commands without a round trip in test/support/commandRoundTrips.ts').toEqual([]);
}
