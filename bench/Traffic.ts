import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Client } from '../src';
import { hitKey, VALUE_BYTES } from './healthySuite';

/**
 * Concurrent callers that keep calling a client until stopped: half gets, half sets. A caller whose
 * call was answered without I/O (reconnecting) lets the event loop turn before calling again, as
 * calls arriving from I/O would: a loop of instant answers would otherwise starve every timer,
 * including the one that heals the client.
 */
export class Traffic {
  calls = 0;
  #stop = false;
  readonly #loops: Promise<void>[] = [];
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(client: Client, callers: number) {
    const value = Buffer.alloc(VALUE_BYTES, 'v');
    for (let c = 0; c < callers; c++) {
      this.#loops.push(
        (async () => {
          for (let i = c; !this.#stop; i += callers) {
            const answer = i % 2 === 0 ? await client.get(hitKey(i)) : await client.set({ key: hitKey(i), value });
            this.calls++;
            if (this.#waiters.length > 0) this.#wake();
            if (answer !== true && (answer === false || answer.ok === false)) await nextTurn();
          }
        })(),
      );
    }
  }

  /** Resolves once `count` calls in total have finished. */
  until(count: number): Promise<void> {
    if (this.calls >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Stops calling; resolves when every call in flight has finished. */
  async stop(): Promise<void> {
    this.#stop = true;
    await Promise.all(this.#loops);
  }

  #wake(): void {
    const ready = this.#waiters.filter((w) => w.count <= this.calls);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.count > this.calls);
    for (const w of ready) w.resolve();
  }
}

/** Resolves with the clock time (performance.now) at which `client` enters `state`. */
export function whenState(client: Client, state: Client['state'], timeoutMs: number): Promise<number> {
  if (client.state === state) return Promise.resolve(performance.now());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`client did not become ${state} within ${timeoutMs} ms (it is ${client.state})`));
    }, timeoutMs);
    const unsubscribe = client.subscribe((change) => {
      if (change.state !== state) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(change.at);
    });
  });
}
