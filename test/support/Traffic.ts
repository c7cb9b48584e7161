import { setTimeout as delay } from 'node:timers/promises';
import type { Client, GetMultiResult, GetResult } from '../../src/api/Client';
import type { Item } from '../../src/port/MemcachedPort';
import { type CallTracker, NO_ANSWER } from './CallTracker';
import { textSet } from './memcachedText';

export interface TrafficOptions {
  /** Concurrent callers. @default 4 */
  readonly workers?: number;
  /** Size of the key space. @default 64 */
  readonly keys?: number;
  /** Size of a large value, bytes (one key in `largeEvery` has one). @default 0 (none) */
  readonly largeBytes?: number;
  /** @default 8 */
  readonly largeEvery?: number;
  /** Pause between two calls of one caller, ms: keeps not-ok answers (no I/O) from spinning a core. @default 1 */
  readonly paceMs?: number;
  /** Seed of the operation mix, printed by the soak so a run can be replayed. @default 1 */
  readonly seed?: number;
}

const ANSWERED = new Set(['hit', 'miss', 'multi', 'stored', 'deleted']);

/** A small, seedable PRNG (mulberry32): the workload must be replayable from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixed get/set/getMulti/delete traffic from a few concurrent callers, every call timed by a
 * `CallTracker`. Each key has exactly one possible value (a function of the key), so any hit that
 * comes back with other bytes or flags is corruption, recorded in `corrupt`.
 */
export class Traffic {
  /** Outcomes by kind: `hit`, `miss`, `stored`, `deleted`, `setNotOk`, `deleteNotOk`, or a not-ok reason. */
  readonly outcomes: Record<string, number> = {};
  readonly corrupt: string[] = [];
  readonly #cache: Client;
  readonly #tracker: CallTracker;
  readonly #keys: number;
  readonly #largeBytes: number;
  readonly #largeEvery: number;
  readonly #workers: number;
  readonly #paceMs: number;
  readonly #random: () => number;
  #running: Promise<void>[] = [];
  #stopped = true;
  /** Calls memcached answered (hit, miss, stored, deleted, ...), as opposed to not-ok ones. */
  #answered = 0;
  readonly #waiters = new Set<{ at: number; resolve(): void }>();

  constructor(cache: Client, tracker: CallTracker, options: TrafficOptions = {}) {
    this.#cache = cache;
    this.#tracker = tracker;
    this.#keys = options.keys ?? 64;
    this.#largeBytes = options.largeBytes ?? 0;
    this.#largeEvery = options.largeEvery ?? 8;
    this.#workers = options.workers ?? 4;
    this.#paceMs = options.paceMs ?? 1;
    this.#random = seededRandom(options.seed ?? 1);
  }

  static key(i: number): string {
    return `chaos:${i}`;
  }

  /** The only value `key(i)` ever holds. */
  valueOf(i: number): { value: Buffer; flags: number } {
    const key = Traffic.key(i);
    const size = this.#largeBytes > 0 && i % this.#largeEvery === 0 ? this.#largeBytes : 8 + ((i * 37) % 200);
    const pattern = Buffer.from(`${key}#`);
    const value = Buffer.alloc(size);
    for (let at = 0; at < size; at += pattern.length) pattern.copy(value, at);
    return { value, flags: (i * 2654435761) >>> 0 };
  }

  /**
   * Stores every key once, straight into memcached on `memcachedPort`: seeding is setup, not the
   * client under test (whose 100 ms deadline 2 MB of parallel writes on a loaded machine can miss).
   */
  async seed(memcachedPort: number): Promise<void> {
    for (let i = 0; i < this.#keys; i++) {
      const { value, flags } = this.valueOf(i);
      await textSet(memcachedPort, Traffic.key(i), value, flags);
    }
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#running = Array.from({ length: this.#workers }, () => this.#work());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
    this.#running = [];
  }

  /**
   * Resolves once memcached has answered `n` more calls: proof that traffic flows (before a fault,
   * after healing). Rejects after `timeoutMs`.
   */
  answered(n: number, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = {
        at: this.#answered + n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(`memcached answered fewer than ${n} calls in ${timeoutMs} ms: ${JSON.stringify(this.outcomes)}`),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  async #work(): Promise<void> {
    while (!this.#stopped) {
      await this.#one();
      await delay(this.#paceMs);
    }
  }

  async #one(): Promise<void> {
    const r = this.#random();
    const i = Math.floor(this.#random() * this.#keys);
    const cache = this.#cache;
    if (r < 0.55) {
      this.#checkGet(i, await this.#tracker.track(() => cache.get(Traffic.key(i))));
    } else if (r < 0.8) {
      const stored = await this.#tracker.track(() => cache.set({ key: Traffic.key(i), ...this.valueOf(i) }));
      this.#count(stored === NO_ANSWER ? 'noAnswer' : stored ? 'stored' : 'setNotOk');
    } else if (r < 0.95) {
      const many = Array.from({ length: 1 + Math.floor(this.#random() * 16) }, () =>
        Math.floor(this.#random() * this.#keys),
      );
      this.#checkGetMulti(many, await this.#tracker.track(() => cache.getMulti(many.map(Traffic.key))));
    } else {
      const deleted = await this.#tracker.track(() => cache.delete(Traffic.key(i)));
      this.#count(deleted === NO_ANSWER ? 'noAnswer' : deleted ? 'deleted' : 'deleteNotOk');
    }
  }

  #checkGet(i: number, result: GetResult | typeof NO_ANSWER): void {
    if (result === NO_ANSWER) this.#count('noAnswer');
    else if (!result.ok) this.#count(result.reason);
    else if (result.item === undefined) this.#count('miss');
    else {
      this.#count('hit');
      this.#verify(i, result.item);
    }
  }

  #checkGetMulti(indexes: number[], result: GetMultiResult | typeof NO_ANSWER): void {
    if (result === NO_ANSWER || !result.ok) {
      this.#count(result === NO_ANSWER ? 'noAnswer' : result.reason);
      return;
    }
    this.#count('multi');
    const wanted = new Set(indexes.map(Traffic.key));
    for (const [key, item] of result.items) {
      if (!wanted.has(key)) {
        this.#corruption(`getMulti returned ${key}, which was not asked for`);
        continue;
      }
      this.#verify(Number(key.slice('chaos:'.length)), item);
    }
  }

  #verify(i: number, item: Item): void {
    const expected = this.valueOf(i);
    if (item.key !== Traffic.key(i)) this.#corruption(`asked ${Traffic.key(i)}, got item keyed ${item.key}`);
    else if (item.flags !== expected.flags || !item.value.equals(expected.value)) {
      this.#corruption(
        `${item.key}: got ${item.value.length} bytes flags ${item.flags}, expected ${expected.value.length} bytes flags ${expected.flags}`,
      );
    }
  }

  #corruption(message: string): void {
    if (this.corrupt.length < 20) this.corrupt.push(message);
  }

  #count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    if (!ANSWERED.has(outcome)) return;
    this.#answered++;
    for (const waiter of this.#waiters) {
      if (this.#answered >= waiter.at) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
