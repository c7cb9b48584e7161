import type { KeyCommandName } from '../../src/commands/keyCommands';
import { formatServer } from '../../src/config/parseServers';
import { ConnectionError, ServerError } from '../../src/core/errors';
import type { CasItem, Item, MemcachedPort, PortFactory, WireItem } from '../../src/port/MemcachedPort';
import type { PortCommand } from '../../src/port/PortCommand';

/**
 * How the fake server behaves for the next operations:
 * - `up`: answers from an in-memory store;
 * - `refusing`: fails at once like a refused port (ECONNREFUSED);
 * - `blackhole`: never answers (like a server that accepts and hangs);
 * - `serverError`: answers every call with an error status (the link is fine);
 * - `manual`: holds every call until the test settles it with `settleNext`.
 */
export type FakeMode = 'up' | 'refusing' | 'blackhole' | 'serverError' | 'manual';

interface PendingCall {
  readonly op: string;
  readonly port: FakePort;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export function refusedError(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
}

/** A fake memcached that every port from `factory` talks to. Makes a fault exact in unit tests. */
export class FakeMemcached {
  mode: FakeMode = 'up';
  /**
   * When true, closing a port leaves the calls held on it pending, as memjs's own `close()` does
   * (memjs #162). The facade must then not let their late results move the next connection.
   */
  keepCallsOnClose = false;
  /** What the fake holds (expiration is not simulated: the fake has no clock). */
  readonly store = new Map<string, CasItem>();
  #nextCas = 0n;
  readonly ports: FakePort[] = [];
  /** Every operation that reached a port, in order (`get`, `set`, `ping`, ...). */
  readonly calls: string[] = [];
  readonly pending: PendingCall[] = [];

  readonly factory: PortFactory = () => {
    const port = new FakePort(this);
    this.ports.push(port);
    return port;
  };

  get openPorts(): number {
    return this.ports.filter((p) => !p.closed).length;
  }

  /**
   * Settles the oldest held call (of operation `which.op` on `which.port`, when given): with
   * `value`, or rejects it with `error`.
   */
  settleNext(outcome: { value?: unknown } | { error: unknown }, which: { op?: string; port?: FakePort } = {}): void {
    const index = this.pending.findIndex(
      (call) =>
        (which.op === undefined || call.op === which.op) && (which.port === undefined || call.port === which.port),
    );
    const call = index < 0 ? undefined : this.pending.splice(index, 1)[0];
    if (!call) throw new Error(`no pending ${which.op ?? ''} call to settle`);
    // An answer, or a refusal, is bytes from the server; a connection error is not.
    if (!('error' in outcome) || outcome.error instanceof ServerError) call.port.received++;
    if ('error' in outcome) call.reject(outcome.error);
    else call.resolve(outcome.value);
  }

  /** Stores `item` with a new CAS value. */
  put(key: string, value: Buffer, flags: number): void {
    this.store.set(key, { key, value, flags, cas: ++this.#nextCas });
  }

  run<T>(port: FakePort, op: string, answer: () => T): Promise<T> {
    this.calls.push(op);
    if (port.closed) return Promise.reject(new ConnectionError(new Error('port closed')));
    switch (this.mode) {
      case 'up':
        return Promise.resolve().then(() => {
          port.received++;
          return answer();
        });
      case 'refusing':
        return Promise.reject(refusedError());
      case 'serverError':
        port.received++;
        return Promise.reject(new ServerError(new Error(`MemJS ${op.toUpperCase()}: Value too large`)));
      case 'blackhole':
      case 'manual':
        return new Promise<T>((resolve, reject) => {
          this.pending.push({ op, port, resolve: resolve as (v: unknown) => void, reject });
        });
    }
  }
}

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

  /** The spec commands (src/commands/), each answered from the store by the command's name. */
  command<A, T>(command: PortCommand<A, T>, args: A): Promise<T> {
    const answer = (FAKE_COMMANDS as unknown as Record<string, FakeCommand<A>>)[command.name];
    if (answer === undefined) return Promise.reject(new Error(`the fake has no ${command.name}`));
    return this.#server.run(this, command.name, () => answer(this.#server, args) as T);
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

type FakeCommand<A> = (server: FakeMemcached, args: A) => unknown;

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

// The fake's answer to each spec command, by its name (the arguments as the specs hand them).
const FAKE_COMMANDS = {
  gets: (server: FakeMemcached, { key }: { key: string }) => server.store.get(key),
  gat: (server: FakeMemcached, { key }: { key: string }) => plain(server.store.get(key)),
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
} satisfies Record<KeyCommandName, FakeCommand<never>>;

/** The item without its CAS value, as `get` answers it. */
function plain(item: CasItem | undefined): Item | undefined {
  return item && { key: item.key, value: item.value, flags: item.flags };
}

/**
 * One FakeMemcached per server (`host:port`), so a test can fail one server of a cluster exactly.
 * A server that was not listed gets its fake on first use (e.g. one added by `setServers`).
 */
export class FakeCluster {
  readonly #servers = new Map<string, FakeMemcached>();

  readonly factory: PortFactory = (server) => this.server(formatServer(server)).factory(server);

  /** The fake behind `id` (`host:port`). */
  server(id: string): FakeMemcached {
    let fake = this.#servers.get(id);
    if (!fake) {
      fake = new FakeMemcached();
      this.#servers.set(id, fake);
    }
    return fake;
  }
}
