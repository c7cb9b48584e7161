// Run by package.test.ts inside a project that installed the packed tarball, keyv and cache-manager:
// the README's cache-manager example, through the package's exports.
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { createClient } from 'reconnecting-memcached';
import { KeyvStore } from 'reconnecting-memcached/keyv';
import { startMemcached } from 'reconnecting-memcached/testing';

const memcached = await startMemcached();
const client = createClient({ servers: [memcached.address] });
const cache = createCache({ stores: [new Keyv({ store: new KeyvStore(client), namespace: 'app' })] });
let loads = 0;
const load = async () => {
  loads++;
  return { id: 7 };
};
const report = { first: await cache.wrap('user:7', load, 60_000), again: await cache.wrap('user:7', load, 60_000) };
report.loads = loads;
await memcached.stop();
report.down = (await cache.get('user:7')) ?? 'miss';
report.loaded = await cache.wrap('user:7', load, 60_000);
await client.close();
console.log(JSON.stringify(report));
