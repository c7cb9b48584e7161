import { ConnectionError, ServerError } from '../../src/core/errors';
import type { CasItem, Item, MemcachedPort, StoreMode, StoreStatus, WireItem } from '../../src/port/MemcachedPort';
import type { FakeMemcached } from './FakeMemcached';

/**
 * One connection to a FakeMemcached: answers each command from the fake's store, as memcached
 * would, once the fake's mode lets the call through.
 */
export class FakePort implements MemcachedPort {
  closed = false;
  /** Answers that reached this port (a test may move it by hand: bytes for nobody). */
  received = 0;
  readonly #server: FakeMemcached;

  constructor(server: FakeMemcached) {
    this.#server = server;
  }

  get(key: string): Promise<Item | undefined> {
    return this.#server.run(this, 'get', () => plain(this.#server.store.get(key)));
  }

  gets(key: string): Promise<CasItem | undefined> {
    return this.#server.run(this, 'gets', () => this.#server.store.get(key));
  }

  gat(key: string): Promise<Item | undefined> {
    return this.#server.run(this, 'gat', () => plain(this.#server.store.get(key)));
  }

  getMulti(keys: readonly string[]): Promise<Map<string, Item>> {
    return this.#server.run(this, 'getMulti', () => {
      const items = new Map<string, Item>();
      for (const key of keys) {
        const item = plain(this.#server.store.get(key));
        if (item) items.set(key, item);
      }
      return items;
    });
  }

  set(key: string, value: Buffer, flags: number): Promise<void> {
    return this.#server.run(this, 'set', () => this.#server.put(key, value, flags));
  }

  store(mode: StoreMode, item: WireItem): Promise<StoreStatus> {
    return this.#server.run(this, mode, () => {
      const present = this.#server.store.has(item.key);
      if (mode === 'add' && present) return 'exists';
      if (mode === 'replace' && !present) return 'not_found';
      this.#server.put(item.key, item.value, item.flags);
      return 'stored';
    });
  }

  cas(item: WireItem, cas: bigint): Promise<StoreStatus> {
    return this.#server.run(this, 'cas', () => {
      const current = this.#server.store.get(item.key);
      if (!current) return 'not_found';
      if (current.cas !== cas) return 'exists';
      this.#server.put(item.key, item.value, item.flags);
      return 'stored';
    });
  }

  concat(mode: 'append' | 'prepend', key: string, value: Buffer): Promise<StoreStatus> {
    return this.#server.run(this, mode, () => {
      const current = this.#server.store.get(key);
      if (!current) return 'not_stored';
      const parts = mode === 'append' ? [current.value, value] : [value, current.value];
      this.#server.put(key, Buffer.concat(parts), current.flags);
      return 'stored';
    });
  }

  delete(key: string): Promise<boolean> {
    return this.#server.run(this, 'delete', () => this.#server.store.delete(key));
  }

  counter(mode: 'incr' | 'decr', key: string, delta: bigint, initial: bigint | undefined): Promise<bigint | undefined> {
    return this.#server.run(this, mode, () => {
      const current = this.#server.store.get(key);
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
      this.#server.put(key, Buffer.from(String(next)), current?.flags ?? 0);
      return next;
    });
  }

  touch(key: string): Promise<boolean> {
    return this.#server.run(this, 'touch', () => this.#server.store.has(key));
  }

  setMulti(items: readonly WireItem[]): Promise<string[]> {
    return this.#server.run(this, 'setMulti', () => {
      for (const item of items) this.#server.put(item.key, item.value, item.flags);
      return [];
    });
  }

  deleteMulti(keys: readonly string[]): Promise<void> {
    return this.#server.run(this, 'deleteMulti', () => {
      for (const key of keys) this.#server.store.delete(key);
    });
  }

  flush(): Promise<void> {
    return this.#server.run(this, 'flush', () => this.#server.store.clear());
  }

  stats(): Promise<Map<string, string>> {
    return this.#server.run(this, 'stats', () => new Map([['curr_items', String(this.#server.store.size)]]));
  }

  version(): Promise<string> {
    return this.#server.run(this, 'version', () => '1.6.0-fake');
  }

  ping(): Promise<void> {
    return this.#server.run(this, 'ping', () => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Like the memjs adapter: calls still held on this port fail now.
    const server = this.#server;
    if (server.keepCallsOnClose) return;
    for (let i = server.pending.length - 1; i >= 0; i--) {
      const call = server.pending[i]!;
      if (call.port === this) {
        server.pending.splice(i, 1);
        call.reject(new ConnectionError(new Error('connection closed by the client')));
      }
    }
  }
}

/** The item without its CAS value, as `get` answers it. */
function plain(item: CasItem | undefined): Item | undefined {
  return item && { key: item.key, value: item.value, flags: item.flags };
}
