// `node --import tsx bench/compareTrees.ts <before-tree> <after-tree> [get|set]`
//
// CPU per call and rate of get or set at 64 callers, for the binary and meta clients of two source
// trees (two checkouts of this repo, e.g. a `git worktree` of the commit before a change), and the
// floor, all in one process against one memcached, in interleaved rounds (bench/measure.ts: no contender twice in a row).
// A change to the hot path moves CPU per call by 5-15%, and on a shared 2-core machine two runs of
// `npm run bench` differ by more than that; rounds of both trees side by side in one process do
// not. Prints each contender's median, its ratio to the floor and the after/before ratios, all
// medians of per-round ratios.
//
// Environment: ROUNDS (default 12) and ROUND_MS (400); PROTOCOLS, a comma-separated subset of
// `binary,meta` (fewer contenders a round pairs rounds closer in time); MEMCACHED, `host:port` of
// a memcached to use instead of starting one (e.g. one pinned to the other core with `taskset`).
import { resolve } from 'node:path';
import { FloorClient } from './FloorClient';
import { interleave, throughput } from './measure';
import { median, pairedRatio } from './stats';

interface Contender {
  readonly name: string;
  readonly call: (i: number) => Promise<unknown>;
}

const [before, after, op = 'get'] = process.argv.slice(2);
if (before === undefined || after === undefined || (op !== 'get' && op !== 'set')) {
  throw new Error('usage: bench/compareTrees.ts <before-tree> <after-tree> [get|set]');
}
const ROUNDS = Number(process.env.ROUNDS ?? 12);
const ROUND_MS = Number(process.env.ROUND_MS ?? 400);
const PROTOCOLS = (process.env.PROTOCOLS ?? 'binary,meta').split(',');
const CALLERS = 64;
const KEYS = 1000;

const { startMemcached } = await import(resolve(after, 'src/testing/memcached.ts'));
const given = process.env.MEMCACHED;
const memcached = given === undefined ? await startMemcached() : { address: given, stop: async () => {} };
const [host, port] = (memcached.address as string).split(':') as [string, string];
const floor = new FloorClient(host, Number(port));
const value = Buffer.alloc(100, 'v');
const key = (i: number) => `bench:key:${i % KEYS}`;
for (let i = 0; i < KEYS; i++) await floor.set(key(i), value);

const contenders: Contender[] = [
  { name: 'floor', call: op === 'get' ? (i) => floor.get(key(i)) : (i) => floor.set(key(i), value) },
];
const clients: { close(): Promise<void> }[] = [];
for (const [tree, root] of [
  ['before', before],
  ['after', after],
] as const) {
  const { createClient } = await import(resolve(root, 'src/client/createClient.ts'));
  for (const protocol of PROTOCOLS) {
    const client = createClient({ servers: memcached.address, protocol });
    clients.push(client);
    contenders.push({
      name: `${tree} ${protocol}`,
      call: op === 'get' ? (i) => client.get(key(i)) : (i) => client.set({ key: key(i), value }),
    });
  }
}

const round = (c: Contender) => throughput(c.call, CALLERS, ROUND_MS);
for (const c of contenders) await round(c); // warm-up
const rates = contenders.map(() => [] as number[]);
const cpu = await interleave(contenders, ROUNDS, async (c) => {
  const sample = await round(c);
  rates[contenders.indexOf(c)]!.push(sample.rate);
  return sample.cpuPerCall;
});
const at = (name: string) => contenders.findIndex((c) => c.name === name);
console.log(`${op} at ${CALLERS} callers, ${ROUNDS} rounds of ${ROUND_MS} ms`);
for (const [i, c] of contenders.entries()) {
  const vsFloor = i === 0 ? '' : `, ${pairedRatio(cpu[i]!, cpu[0]!).toFixed(2)}x the floor's`;
  console.log(
    `  ${c.name}: ${median(cpu[i]!).toFixed(2)} us CPU per call${vsFloor}, ${Math.round(median(rates[i]!))}/s`,
  );
}
for (const protocol of PROTOCOLS) {
  const [b, a] = [at(`before ${protocol}`), at(`after ${protocol}`)];
  const cpuRatio = pairedRatio(cpu[a]!, cpu[b]!).toFixed(3);
  console.log(`  ${protocol} after/before: CPU ${cpuRatio}x, rate ${pairedRatio(rates[a]!, rates[b]!).toFixed(3)}x`);
}
floor.close();
for (const client of clients) await client.close();
await memcached.stop();
