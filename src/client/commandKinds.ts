import type { Item } from '../api/Item';
import type { CommandKind } from '../core/channels';
import type { CounterMode, StoreMode } from '../port/MemcachedPort';

// What each command publishes on the `reconnecting-memcached:command` TracingChannel: its name (the
// client's method) and, for reads, how many keys an answer found. Every `run` passes one of these.
const found = (item: unknown): number => (item === undefined ? 0 : 1);
export const GET: CommandKind<Item | undefined> = { name: 'get', hits: found };
export const GETS: CommandKind<Item | undefined> = { name: 'gets', hits: found };
export const GAT: CommandKind<Item | undefined> = { name: 'gat', hits: found };
export const GET_MULTI: CommandKind<Map<string, Item>> = { name: 'getMulti', hits: (items) => items.size };
export const SET: CommandKind<void> = { name: 'set' };
export const CAS: CommandKind<unknown> = { name: 'cas' };
export const TOUCH: CommandKind<boolean> = { name: 'touch' };
export const DELETE: CommandKind<boolean> = { name: 'delete' };
export const SET_MULTI: CommandKind<void> = { name: 'setMulti' };
export const DELETE_MULTI: CommandKind<void> = { name: 'deleteMulti' };
export const PING: CommandKind<void> = { name: 'ping' };
export const STORE: Record<StoreMode, CommandKind<unknown>> = {
  set: SET as CommandKind<unknown>,
  add: { name: 'add' },
  replace: { name: 'replace' },
};
export const CONCAT: Record<'append' | 'prepend', CommandKind<unknown>> = {
  append: { name: 'append' },
  prepend: { name: 'prepend' },
};
export const COUNTER: Record<CounterMode, CommandKind<unknown>> = { incr: { name: 'incr' }, decr: { name: 'decr' } };
/** The admin commands, by name (`flush`, `stats`, `version`). */
export const adminKind = (name: string): CommandKind<unknown> => ADMIN[name] ?? { name };
const ADMIN: Record<string, CommandKind<unknown>> = {
  flush: { name: 'flush' },
  stats: { name: 'stats' },
  version: { name: 'version' },
};
