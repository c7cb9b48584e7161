import type { AdminCommandName } from '../../src/commands/adminCommands';
import type { BatchCommandName } from '../../src/commands/batches';
import type { KeyCommandName } from '../../src/commands/keyCommands';
import { ServerError } from '../../src/core/errors';
import type { CasItem, Item, WireItem } from '../../src/port/MemcachedPort';
import type { FakeMemcached } from './FakeMemcached';

// What a FakePort answers to each command spec (src/commands/), by the spec's name, from the
// fake's store as memcached would. Typed by the spec list: a spec without its answer here fails
// the typecheck.

export type FakeCommand<A> = (server: FakeMemcached, args: A) => unknown;

function conditional(mode: 'add' | 'replace'): FakeCommand<WireItem> {
  return (server, item) => {
    const present = server.store.has(item.key);
    if (mode === 'add' && present) return 'exists';
    if (mode === 'replace' && !present) return 'not_found';
    server.put(item.key, item.value, item.flags);
    return 'stored';
  };
}

function concat(mode: 'append' | 'prepend'): FakeCommand<{ key: string; value: Buffer }> {
  return (server, { key, value }) => {
    const current = server.store.get(key);
    if (!current) return 'not_stored';
    const parts = mode === 'append' ? [current.value, value] : [value, current.value];
    server.put(key, Buffer.concat(parts), current.flags);
    return 'stored';
  };
}

function counter(mode: 'incr' | 'decr'): FakeCommand<{ key: string; delta: bigint; initial: bigint | undefined }> {
  return (server, { key, delta, initial }) => {
    const current = server.store.get(key);
    let next: bigint;
    if (!current) {
      if (initial === undefined) return undefined;
      next = initial;
    } else {
      const text = current.value.toString();
      if (!/^\d+$/.test(text)) throw new ServerError(new Error('MemJS INCR: Incr/Decr on non-numeric value'));
      const n = BigInt(text);
      next = mode === 'incr' ? BigInt.asUintN(64, n + delta) : n > delta ? n - delta : 0n;
    }
    server.put(key, Buffer.from(String(next)), current?.flags ?? 0);
    return next;
  };
}

/** The fake's answer to each spec command, by its name (the arguments as the specs hand them). */
export const FAKE_COMMANDS = {
  gets: (server: FakeMemcached, { key }: { key: string }) => server.store.get(key),
  gat: (server: FakeMemcached, { key }: { key: string }) => plain(server.store.get(key)),
  gats: (server: FakeMemcached, { key }: { key: string }) => server.store.get(key),
  touch: (server: FakeMemcached, { key }: { key: string }) => server.store.has(key),
  delete: (server: FakeMemcached, { key }: { key: string }) => server.store.delete(key),
  add: conditional('add'),
  replace: conditional('replace'),
  append: concat('append'),
  prepend: concat('prepend'),
  cas: (server: FakeMemcached, item: WireItem & { cas: bigint }) => {
    const current = server.store.get(item.key);
    if (!current) return 'not_found';
    if (current.cas !== item.cas) return 'exists';
    server.put(item.key, item.value, item.flags);
    return 'stored';
  },
  incr: counter('incr'),
  decr: counter('decr'),
  getMulti: (server: FakeMemcached, keys: readonly string[]) => {
    const items = new Map<string, Item>();
    for (const key of keys) {
      const item = plain(server.store.get(key));
      if (item) items.set(key, item);
    }
    return items;
  },
  setMulti: (server: FakeMemcached, items: readonly WireItem[]) => {
    for (const item of items) server.put(item.key, item.value, item.flags);
    return [];
  },
  deleteMulti: (server: FakeMemcached, keys: readonly string[]) => {
    for (const key of keys) server.store.delete(key);
  },
  flush: (server: FakeMemcached) => server.store.clear(),
  stats: (server: FakeMemcached) => new Map([['curr_items', String(server.store.size)]]),
  version: () => '1.6.0-fake',
} satisfies Record<KeyCommandName | BatchCommandName | AdminCommandName, FakeCommand<never>>;

export /** The item without its CAS value, as `get` answers it. */
function plain(item: CasItem | undefined): Item | undefined {
  return item && { key: item.key, value: item.value, flags: item.flags };
}
