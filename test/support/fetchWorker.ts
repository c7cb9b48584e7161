// A separate process fetching some keys (test/integration/fetch.processes.test.ts): prints `ready`
// once connected, fetches every key at once when a line arrives on stdin, prints `loaded <key>` from
// its loader and `value <key> <v>` with what fetch answered.
// Arguments: servers, protocol, comma-separated keys, the loader's duration in ms, and fetch's
// `timeoutMs` (omitted or empty: fetch's default).
import { createInterface } from 'node:readline';
import { createClient } from '../../src/index';

const [servers, protocol, keyList, loaderMs, timeoutMs] = process.argv.slice(2) as [
  string,
  'binary' | 'meta',
  string,
  string,
  string | undefined,
];
const cache = createClient({ servers, protocol, timeoutMs: 2000 });
await cache.ping();
console.log('ready');
const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
const options = timeoutMs ? { ttl: 60, timeoutMs: Number(timeoutMs) } : { ttl: 60 };
await Promise.all(
  keyList.split(',').map(async (key) => {
    const value = await cache.fetch(
      key,
      async () => {
        console.log(`loaded ${key}`);
        await new Promise((resolve) => setTimeout(resolve, Number(loaderMs)));
        return `from-${process.pid}`;
      },
      options,
    );
    console.log(`value ${key} ${value.toString()}`);
  }),
);
lines.close();
await cache.close();
