import type { DiscoveryEmitted } from '../../machines/discoveryMachine';
import type { Client } from '../../src/api/Client';
import type { ReconnectingClient } from '../../src/client/ReconnectingClient';

type Of<T extends DiscoveryEmitted['type']> = Extract<DiscoveryEmitted, { type: T }>;

/**
 * Records what a client's discovery machine reports, and waits for the next report of a kind
 * (rejecting after a timeout, so a discovery that never polls fails the test instead of hanging it).
 */
export class DiscoveryWatch {
  readonly events: DiscoveryEmitted[] = [];
  readonly #waiters = new Set<(event: DiscoveryEmitted) => void>();

  constructor(cache: Client) {
    const actor = (cache as ReconnectingClient).discoveryActor;
    if (!actor) throw new Error('the client has no discovery');
    actor.on('*', (event) => {
      this.events.push(event as DiscoveryEmitted);
      for (const waiter of [...this.#waiters]) waiter(event as DiscoveryEmitted);
    });
  }

  /** The reports of one kind so far. */
  all<T extends DiscoveryEmitted['type']>(type: T): Of<T>[] {
    return this.events.filter((event): event is Of<T> => event.type === type);
  }

  /** Resolves with the next report of `type` from now on. */
  next<T extends DiscoveryEmitted['type']>(type: T, timeoutMs = 5_000): Promise<Of<T>> {
    return new Promise((resolve, reject) => {
      const waiter = (event: DiscoveryEmitted) => {
        if (event.type !== type) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(event as Of<T>);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `no ${type} from discovery within ${timeoutMs} ms (saw ${this.events.map((e) => e.type).join(', ')})`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}
