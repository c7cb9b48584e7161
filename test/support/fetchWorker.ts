// A separate process fetching one key (test/integration/fetch.processes.test.ts): prints `ready`
// once connected, fetches when a line arrives on stdin, prints `loaded` from its loader and
// `value <v>` with what fetch answered.
import { createInterface } from 'node:readline';
import { createClient } from '../../src/index';

const [servers, protocol, key] = process.argv.slice(2) as [string, 'binary' | 'meta', string];
const cache = createClient({ servers, protocol, timeoutMs: 2000 });
await cache.ping();
console.log('ready');
const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
const value = await cache.fetch(
  key,
  async () => {
    console.log('loaded');
    // Long enough that every other process asks while this load is running.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return `from-${process.pid}`;
  },
  { ttl: 60, timeoutMs: 5000 },
);
console.log(`value ${value.toString()}`);
lines.close();
await cache.close();
