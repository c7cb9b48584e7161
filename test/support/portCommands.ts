import { DELETE_MULTI, GET_MULTI, SET_MULTI } from '../../src/commands/batches';
import { CAS } from '../../src/commands/cas';
import { APPEND, PREPEND } from '../../src/commands/concat';
import { DECR, INCR } from '../../src/commands/counter';
import { DELETE } from '../../src/commands/deleteKey';
import { FLUSH } from '../../src/commands/flush';
import { GAT } from '../../src/commands/gat';
import { GATS } from '../../src/commands/gats';
import { GETS } from '../../src/commands/gets';
import { STATS } from '../../src/commands/stats';
import { ADD, REPLACE } from '../../src/commands/store';
import { TOUCH } from '../../src/commands/touch';
import { VERSION } from '../../src/commands/version';
import type { CasItem, CounterMode, Item, MemcachedPort, StoreStatus, WireItem } from '../../src/port/MemcachedPort';

/** The spec commands of a port, called as the suites that drive a port directly call them (no client). */
export interface PortCommands {
  gets(key: string): Promise<CasItem | undefined>;
  gat(key: string, expiration: number): Promise<Item | undefined>;
  gats(key: string, expiration: number): Promise<CasItem | undefined>;
  touch(key: string, expiration: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  store(mode: 'add' | 'replace', item: WireItem): Promise<StoreStatus>;
  cas(item: WireItem, cas: bigint): Promise<StoreStatus>;
  concat(mode: 'append' | 'prepend', key: string, value: Buffer): Promise<StoreStatus>;
  getMulti(keys: readonly string[]): Promise<Map<string, Item>>;
  setMulti(items: readonly WireItem[]): Promise<string[]>;
  deleteMulti(keys: readonly string[]): Promise<void>;
  flush(): Promise<void>;
  stats(): Promise<Map<string, string>>;
  version(): Promise<string>;
  counter(
    mode: CounterMode,
    key: string,
    delta: bigint,
    initial: bigint | undefined,
    expiration: number,
  ): Promise<bigint | undefined>;
}

/** `port`'s spec commands, each through `port.command` with its spec (src/commands/). */
export function portCommands(port: MemcachedPort): PortCommands {
  return {
    getMulti: (keys) => port.command(GET_MULTI, keys),
    setMulti: (items) => port.command(SET_MULTI, items),
    deleteMulti: (keys) => port.command(DELETE_MULTI, keys),
    flush: () => port.command(FLUSH, undefined),
    stats: () => port.command(STATS, undefined),
    version: () => port.command(VERSION, undefined),
    gets: (key) => port.command(GETS, { key, userKey: key }),
    gat: (key, expiration) => port.command(GAT, { key, userKey: key, expiration }),
    gats: (key, expiration) => port.command(GATS, { key, userKey: key, expiration }),
    touch: (key, expiration) => port.command(TOUCH, { key, userKey: key, expiration }),
    delete: (key) => port.command(DELETE, { key, userKey: key }),
    store: (mode, item) => port.command(mode === 'add' ? ADD : REPLACE, { ...item, userKey: item.key }),
    cas: (item, cas) => port.command(CAS, { ...item, userKey: item.key, cas }),
    concat: (mode, key, value) => port.command(mode === 'append' ? APPEND : PREPEND, { key, userKey: key, value }),
    counter: (mode, key, delta, initial, expiration) =>
      port.command(mode === 'incr' ? INCR : DECR, {
        key,
        userKey: key,
        delta,
        initial,
        expiration,
        call: undefined,
        big: true,
      }),
  };
}
