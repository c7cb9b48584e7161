import type { MemcachedPort, PortFactory } from '../../src/port/MemcachedPort';

/**
 * Wraps a real port factory to watch what the client does with its connections, so a chaos test
 * can assert the healing invariants from the outside:
 * - when a port other than the first is created (a reconnect probe starts), every earlier port is
 *   already closed: the dropped connection was closed and no other probe is in flight;
 * - pings (only probes ping when the workload never calls `ping()`) never overlap;
 * - after `close()`, every port is closed.
 */
export class PortCensus {
  readonly factory: PortFactory;
  /** Ports created so far: the first connection plus one per reconnect probe. */
  created = 0;
  /** Ports not yet closed. */
  open = 0;
  /** The most ports that were open at the moment a probe's port was created (must stay 0). */
  maxOpenAtProbeStart = 0;
  pingsInFlight = 0;
  maxPingsInFlight = 0;
  // Every port ever created, weakly: after close() and a full GC none may still be reachable.
  readonly #refs: WeakRef<MemcachedPort>[] = [];

  constructor(inner: PortFactory) {
    this.factory = (server) => {
      if (this.created > 0) this.maxOpenAtProbeStart = Math.max(this.maxOpenAtProbeStart, this.open);
      this.created++;
      this.open++;
      const port = inner(server);
      this.#refs.push(new WeakRef(port));
      return this.#watch(port);
    };
  }

  /**
   * Ports still reachable (not garbage-collected). Meaningful only after a full GC
   * (`node --expose-gc`) run in a later turn than the last use of a port: then every replaced
   * memjs client that was really let go is gone, and what remains is a leak.
   */
  reachable(): number {
    return this.#refs.filter((ref) => ref.deref() !== undefined).length;
  }

  /** Reconnect probes started: every port after the first. */
  get probes(): number {
    return Math.max(0, this.created - 1);
  }

  // Every call passes through, but ping and close are watched; a Proxy keeps the wrapper complete
  // as the port contract grows.
  #watch(port: MemcachedPort): MemcachedPort {
    let closed = false;
    const watched: Partial<MemcachedPort> = {
      ping: () => {
        this.pingsInFlight++;
        this.maxPingsInFlight = Math.max(this.maxPingsInFlight, this.pingsInFlight);
        const done = () => {
          this.pingsInFlight--;
        };
        const pending = port.ping();
        pending.then(done, done);
        return pending;
      },
      get received() {
        return port.received;
      },
      close: () => {
        if (!closed) {
          closed = true;
          this.open--;
        }
        port.close();
      },
    };
    return new Proxy(port, {
      get(target, property) {
        const own = watched[property as keyof MemcachedPort];
        if (own !== undefined) return own;
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
