import { expect } from 'vitest';
import type { AdminCommandName } from '../../src/commands/adminCommands';
import type { BatchCommandName } from '../../src/commands/batches';
import type { KeyCommandName } from '../../src/commands/keyCommands';
import type { MemcachedPort, WireItem } from '../../src/port/MemcachedPort';
import { portCommands } from './portCommands';

const item = (key: string, value: string, flags = 0): WireItem => ({
  key,
  value: Buffer.from(value),
  flags,
  expiration: 0,
});

/**
 * The port's methods (not its fields), but `close`, which the suites leave for last (it ends the
 * port), and `command`, which runs the spec commands: those are picked up from their specs.
 */
type PortMethod = {
  [K in keyof MemcachedPort]-?: MemcachedPort[K] extends (...args: never[]) => unknown ? K : never;
}[keyof MemcachedPort];
type PortCommand = Exclude<PortMethod, 'close' | 'command'> | KeyCommandName | BatchCommandName | AdminCommandName;
export type PortRoundTrip = (port: MemcachedPort, key: string) => Promise<void>;

/**
 * One real round trip per method of a MemcachedPort, each asserting memcached's own answer, for
 * suites that show every command works over a transport (TLS, UNIX sockets) whatever the adapter.
 * Typed by the port contract and the spec list: a method added to MemcachedPort, or a spec added to
 * KEY_COMMANDS, fails the typecheck until it has one.
 */
export const PORT_ROUND_TRIPS: Readonly<Record<PortCommand, PortRoundTrip>> = {
  async get(port, key) {
    expect(await port.get(key)).toBeUndefined();
    const big = Buffer.alloc(100_000, 'g');
    await port.set(key, big, 5, 0);
    const got = await port.get(key);
    expect(got?.flags).toBe(5);
    expect(got?.value.equals(big)).toBe(true);
  },
  async gets(port, key) {
    await port.set(key, Buffer.from('v'), 0, 0);
    expect((await portCommands(port).gets(key))?.cas).toBeGreaterThan(0n);
  },
  async gat(port, key) {
    await port.set(key, Buffer.from('v'), 2, 0);
    expect(await portCommands(port).gat(key, 60)).toEqual({ key, value: Buffer.from('v'), flags: 2 });
  },
  async gats(port, key) {
    await port.set(key, Buffer.from('v'), 2, 0);
    const { cas } = (await portCommands(port).gets(key))!;
    expect(await portCommands(port).gats(key, 60)).toEqual({ key, value: Buffer.from('v'), flags: 2, cas });
  },
  async getMulti(port, key) {
    await port.set(`${key}:a`, Buffer.from('A'), 0, 0);
    const items = await portCommands(port).getMulti([`${key}:a`, `${key}:missing`]);
    expect([...items.keys()]).toEqual([`${key}:a`]);
  },
  async set(port, key) {
    await port.set(key, Buffer.from('s'), 9, 0);
    expect(await port.get(key)).toEqual({ key, value: Buffer.from('s'), flags: 9 });
  },
  async add(port, key) {
    expect(await portCommands(port).store('add', item(key, 'a'))).toBe('stored');
    expect(await portCommands(port).store('add', item(key, 'b'))).toBe('exists');
  },
  async replace(port, key) {
    expect(await portCommands(port).store('replace', item(key, 'r'))).toBe('not_found');
    await port.set(key, Buffer.from('a'), 0, 0);
    expect(await portCommands(port).store('replace', item(key, 'r'))).toBe('stored');
  },
  async cas(port, key) {
    await port.set(key, Buffer.from('one'), 0, 0);
    const { cas } = (await portCommands(port).gets(key))!;
    expect(await portCommands(port).cas(item(key, 'two'), cas)).toBe('stored');
    expect(await portCommands(port).cas(item(key, 'three'), cas)).toBe('exists');
  },
  async append(port, key) {
    await port.set(key, Buffer.from('mid'), 0, 0);
    expect(await portCommands(port).concat('append', key, Buffer.from('>'))).toBe('stored');
    expect((await port.get(key))?.value.toString()).toBe('mid>');
  },
  async prepend(port, key) {
    await port.set(key, Buffer.from('mid'), 0, 0);
    expect(await portCommands(port).concat('prepend', key, Buffer.from('<'))).toBe('stored');
    expect((await port.get(key))?.value.toString()).toBe('<mid');
  },
  async delete(port, key) {
    await port.set(key, Buffer.from('d'), 0, 0);
    expect(await portCommands(port).delete(key)).toBe(true);
    expect(await portCommands(port).delete(key)).toBe(false);
  },
  async incr(port, key) {
    expect(await portCommands(port).counter('incr', key, 1n, 10n, 0)).toBe(10n);
    expect(await portCommands(port).counter('incr', key, 5n, undefined, 0)).toBe(15n);
  },
  async decr(port, key) {
    expect(await portCommands(port).counter('decr', key, 1n, 10n, 0)).toBe(10n);
    expect(await portCommands(port).counter('decr', key, 20n, undefined, 0)).toBe(0n);
  },
  async touch(port, key) {
    expect(await portCommands(port).touch(key, 60)).toBe(false);
    await port.set(key, Buffer.from('t'), 0, 0);
    expect(await portCommands(port).touch(key, 60)).toBe(true);
  },
  async setMulti(port, key) {
    expect(await portCommands(port).setMulti([item(`${key}:1`, 'one'), item(`${key}:2`, 'two')])).toEqual([]);
    expect((await portCommands(port).getMulti([`${key}:1`, `${key}:2`])).size).toBe(2);
  },
  async deleteMulti(port, key) {
    await port.set(`${key}:1`, Buffer.from('x'), 0, 0);
    await portCommands(port).deleteMulti([`${key}:1`, `${key}:absent`]);
    expect(await port.get(`${key}:1`)).toBeUndefined();
  },
  async flush(port, key) {
    await port.set(key, Buffer.from('f'), 0, 0);
    await portCommands(port).flush();
    expect(await port.get(key)).toBeUndefined();
  },
  async stats(port) {
    expect((await portCommands(port).stats()).get('pid')).toMatch(/^\d+$/);
  },
  async version(port) {
    expect(await portCommands(port).version()).toMatch(/^\d+\.\d+\.\d+/);
  },
  async ping(port) {
    await expect(port.ping()).resolves.toBeUndefined();
  },
};
