import { expect } from 'vitest';
import type { Client } from '../../src/api/Client';
import { ReconnectingClient } from '../../src/client/ReconnectingClient';

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
  async ping(cache) {
    await expect(cache.ping()).resolves.toBeUndefined();
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

/** The facade's command methods, read from ReconnectingClient itself. */
export function commandsOf(): string[] {
  const proto = ReconnectingClient.prototype as object;
  return Object.getOwnPropertyNames(proto).filter((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    return typeof descriptor?.value === 'function' && !NOT_COMMANDS.has(name);
  });
}

/** Fails, naming them, when a command has no round trip in ROUND_TRIPS. */
export function expectEveryCommandCovered(): void {
  const missing = commandsOf().filter((name) => !(name in ROUND_TRIPS));
  expect(missing, 'commands without a round trip in test/support/commandRoundTrips.ts').toEqual([]);
}
