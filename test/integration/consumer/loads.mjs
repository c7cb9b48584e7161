// `node loads.mjs esm|cjs <entry>`: loads one entry of the installed package the given way and
// prints which optional peers that loaded (keyv, cache-manager, @opentelemetry/api), as JSON.
import { readFileSync, rmSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const [how, entry] = process.argv.slice(2);
const PEERS = ['keyv', 'cache-manager', '@opentelemetry/api'];
const peerOf = (path) => PEERS.find((peer) => path.includes(`/node_modules/${peer}/`));
let loaded;
if (how === 'cjs') {
  const require = createRequire(import.meta.url);
  require(entry);
  loaded = Object.keys(require.cache).map(peerOf);
} else {
  const log = new URL('./loads.log', import.meta.url);
  rmSync(log, { force: true });
  register('./loadHooks.mjs', import.meta.url, { data: { log: log.pathname } });
  await import(entry);
  loaded = readFileSync(log, 'utf8').split('\n').map(peerOf);
}
console.log(JSON.stringify([...new Set(loaded.filter(Boolean))].sort()));
