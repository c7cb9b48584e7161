// `node --import tsx bench/engineCost.ts`
//
// What the engine and the client cost per get, without sockets: 64 callers against a port that
// answers each tick's requests at the next setImmediate, beside a "floor" that answers bare
// promises the same way. The difference is the per-call cost of everything above the adapter (the
// call object and its deadline, key validation, the result object), which no adapter can win back.
import { createClientWithPort } from '../src/client/createClient';
import type { MemcachedPort } from '../src/port/MemcachedPort';
import type { Outcome } from '../src/port/Outcome';
import { throughput } from './measure';
import { median } from './stats';

const CALLERS = 64;
const ROUNDS = 8;
const ROUND_MS = 300;
const item = { value: Buffer.alloc(100, 'v'), flags: 0 };

/** Settles what a tick asked for at the next setImmediate, as a socket's answers would come. */
class NextTurn<T> {
  #waiting: T[] = [];
  constructor(readonly answer: (waiting: T) => void) {}
  add(waiting: T): void {
    if (this.#waiting.push(waiting) === 1) setImmediate(this.#flush);
  }
  readonly #flush = (): void => {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) this.answer(w);
  };
}

function answeringPort(): MemcachedPort {
  const turn = new NextTurn<Outcome<typeof item>>((outcome) => outcome.succeeded(item));
  const unused = () => Promise.reject(new Error('not used by this benchmark'));
  const port = {
    received: 0,
    getInto(_key: string, outcome: Outcome<typeof item>) {
      port.received++;
      turn.add(outcome);
    },
    close() {},
  };
  const commands = ['get', 'gets', 'gat', 'getMulti', 'set', 'store', 'cas', 'concat', 'delete', 'counter'] as const;
  const more = ['touch', 'setMulti', 'deleteMulti', 'flush', 'stats', 'version', 'ping'] as const;
  return Object.assign(port, Object.fromEntries([...commands, ...more].map((name) => [name, unused]))) as never;
}

const floorTurn = new NextTurn<(value: Buffer) => void>((resolve) => resolve(item.value));
const floorGet = (_key: string) => new Promise<Buffer>((resolve) => floorTurn.add(resolve));
const client = createClientWithPort({ servers: ['127.0.0.1:1'] }, answeringPort);
const clientGet = (key: string) => client.get(key);
const keys = Array.from({ length: 1000 }, (_, i) => `bench:key:${i}`);

/** Nanoseconds of the process's CPU per get, `CALLERS` callers for `ROUND_MS`. */
const round = async (get: (key: string) => Promise<unknown>) =>
  (await throughput((i) => get(keys[i % keys.length]!), CALLERS, ROUND_MS)).cpuPerCall * 1000;

await round(floorGet);
await round(clientGet);
const floor: number[] = [];
const ours: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  floor.push(await round(floorGet));
  ours.push(await round(clientGet));
}
const extra = median(ours.map((ns, i) => ns - floor[i]!));
console.log(
  `CPU per get: bare promise ${Math.round(median(floor))} ns, client ${Math.round(median(ours))} ns, the client's own ${Math.round(extra)} ns`,
);
await client.close();
