import memjs from 'memjs';
import type { Client } from '../src/api/Client';
import { CallStats, type Outcome } from './CallStats';

/** The "expensive" lookup the cache saves: a database query that takes this long, ms. */
export const LOOKUP_MS = 10;

/** Read-through calls per second, for each of the two clients. */
export const CALLS_PER_SECOND = 100;

// A skewed key space, like real traffic: a few hot users and a long tail.
const USERS = 200;

function expensiveLookup(id: number): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(JSON.stringify({ id, name: `user ${id}` })), LOOKUP_MS));
}

/** One read-through cache: answers a user's profile from memcached, or from the lookup. */
interface ReadThrough {
  readonly stats: CallStats;
  profile(id: number): Promise<Outcome>;
  close(): void;
}

/** The demo's subject: a miss or a not-ok answer both fall back to the lookup; only a miss fills the cache. */
function reconnectingReadThrough(cache: Client): ReadThrough {
  return {
    stats: new CallStats(),
    async profile(id) {
      const key = `rm-demo:user:${id}`;
      const cached = await cache.get(key);
      if (cached.ok && cached.item) return 'hit';
      const value = await expensiveLookup(id);
      if (!cached.ok) return 'fallback';
      void cache.set({ key, value, expiration: 300 });
      return 'miss';
    },
    close() {},
  };
}

interface MemjsClient {
  get(key: string): Promise<{ value: Buffer | null }>;
  set(key: string, value: string, options: { expires: number }): Promise<boolean>;
  close(): void;
}

/** The baseline: the same read-through over plain memjs 1.3.2 with its defaults (silent logger only). */
function memjsReadThrough(servers: string): ReadThrough {
  const { Client } = memjs as unknown as { Client: { create(servers: string, options: object): MemjsClient } };
  const client = Client.create(servers, { logger: { log() {} } });
  return {
    stats: new CallStats(),
    async profile(id) {
      const key = `memjs-demo:user:${id}`;
      let cached: { value: Buffer | null };
      try {
        cached = await client.get(key);
      } catch {
        await expensiveLookup(id);
        return 'fallback';
      }
      if (cached.value) return 'hit';
      const value = await expensiveLookup(id);
      client.set(key, value, { expires: 300 }).catch(() => {});
      return 'miss';
    },
    close: () => client.close(),
  };
}

/**
 * Open-loop traffic: every tick the same user is looked up through both caches, whatever the
 * calls before are doing, as requests keep arriving at a real service. So both see the same calls
 * during the same outage.
 */
export class Workload {
  readonly ours: CallStats;
  readonly memjs: CallStats;
  readonly #caches: ReadThrough[];
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(cache: Client, servers: string) {
    const ours = reconnectingReadThrough(cache);
    const baseline = memjsReadThrough(servers);
    this.#caches = [ours, baseline];
    this.ours = ours.stats;
    this.memjs = baseline.stats;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), 1000 / CALLS_PER_SECOND);
  }

  /** Stops the traffic and waits for the demo client's calls (each ends by its deadline). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#inFlight);
  }

  /**
   * Closes plain memjs. Its calls still pending stay pending forever (memjs does not fail them on
   * close, memjs issue #162): the summary counts them as never answered.
   */
  close(): void {
    for (const cache of this.#caches) cache.close();
  }

  #tick(): void {
    const id = Math.floor(USERS * Math.random() ** 3);
    const [ours, baseline] = this.#caches as [ReadThrough, ReadThrough];
    // Only the demo client's calls are awaited at the end: a hung memjs call would never let go.
    const call = this.#measure(ours, id);
    this.#inFlight.add(call);
    void call.finally(() => this.#inFlight.delete(call));
    void this.#measure(baseline, id);
  }

  async #measure(cache: ReadThrough, id: number): Promise<void> {
    const call = cache.stats.begin(performance.now());
    const outcome = await cache.profile(id);
    cache.stats.finish(call, performance.now(), outcome);
  }
}
