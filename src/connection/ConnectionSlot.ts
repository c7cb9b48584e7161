import { ConnectionError } from '../core/errors';

/** What a port's slot needs of its connection. */
export interface SlotConnection {
  readonly alive: boolean;
  destroy(err: Error): void;
  abandon(): void;
}

/**
 * A port's one connection at a time: made on the first request, made again after it died, closed
 * for good by `close()`. Counts the chunks (and connects) its connections received, as
 * `MemcachedPort.received` reports them.
 */
export class ConnectionSlot<C extends SlotConnection> {
  readonly #make: (onData: () => void) => C;
  #connection: C | undefined;
  // Connections retired while still owing answers: closed with the slot if still open then.
  #retired: C[] = [];
  #closed = false;
  #received = 0;
  readonly #onData = (): void => {
    this.#received++;
  };

  constructor(make: (onData: () => void) => C) {
    this.#make = make;
  }

  get received(): number {
    return this.#received;
  }

  /** The live connection, or a new one; undefined, and `fail` told why, once the slot is closed. */
  current(fail?: (err: Error) => void): C | undefined {
    if (this.#closed) {
      fail?.(closedByClient());
      return undefined;
    }
    const existing = this.#connection;
    if (existing?.alive) return existing;
    const connection = this.#make(this.#onData);
    this.#connection = connection;
    return connection;
  }

  /** The next request opens a new connection; `connection` ends on its own, or with the slot. */
  retire(connection: C): void {
    if (this.#connection === connection) this.#connection = undefined;
    this.#retired = this.#retired.filter((old) => old.alive);
    this.#retired.push(connection);
  }

  abandon(): void {
    this.#connection?.abandon();
  }

  /** Closes the connection now, failing what is pending on it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection?.destroy(closedByClient());
    this.#connection = undefined;
    for (const old of this.#retired) old.destroy(closedByClient());
    this.#retired = [];
  }
}

const closedByClient = () => new ConnectionError(new Error('connection closed by the client'));
