import { formatServer } from '../../src/config/parseServers';
import { ConnectionError, ServerError } from '../../src/core/errors';
import type { CasItem, PortFactory } from '../../src/port/MemcachedPort';
import { FakePort } from './FakePort';

// Tests that hold a port by its type import it from here, with the fake that made it.
export { FakePort };

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
