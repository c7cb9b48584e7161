import type { Item, MemcachedPort, PortFactory } from '../../src/MemcachedPort';

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

  constructor(inner: PortFactory) {
    this.factory = () => {
      if (this.created > 0) this.maxOpenAtProbeStart = Math.max(this.maxOpenAtProbeStart, this.open);
      this.created++;
      this.open++;
      return this.#watch(inner());
    };
  }

  /** Reconnect probes started: every port after the first. */
  get probes(): number {
    return Math.max(0, this.created - 1);
  }

  #watch(port: MemcachedPort): MemcachedPort {
    let closed = false;
    return {
      get: (key: string): Promise<Item | undefined> => port.get(key),
      getMulti: (keys: readonly string[]) => port.getMulti(keys),
      set: (key: string, value: Buffer, flags: number, expiration: number) => port.set(key, value, flags, expiration),
      delete: (key: string) => port.delete(key),
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
      close: () => {
        if (!closed) {
          closed = true;
          this.open--;
        }
        port.close();
      },
    };
  }
}
