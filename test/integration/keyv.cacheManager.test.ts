import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCache } from 'cache-manager';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { KeyvStore } from '../../src/keyv';
import { startMemcached } from '../../src/testing/memcached';
import { runModule } from '../support/runScript';
import { waitForState } from '../support/waitForState';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const root = join(import.meta.dirname, '..', '..');

// What "at once" must beat: a call that waited for I/O would take at least this long.
const TIMEOUT_MS = 1000;

describe('cache-manager 7 over Keyv over KeyvStore', () => {
  it('reads through a miss; once memcached is killed, the same calls answer misses at once, without throwing', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const client = createClient({
      servers: [server.address],
      timeoutMs: TIMEOUT_MS,
      allowedFailuresBeforeHealing: 2,
      recoveryDelayMs: 60_000,
    });
    cleanup.push(() => client.close());
    const cache = createCache({ stores: [new Keyv({ store: new KeyvStore(client) })] });
    let loads = 0;
    const loadUser = async () => {
      loads++;
      return { id: 7, name: 'Ada' };
    };

    expect(await cache.wrap('user:7', loadUser, 60_000)).toEqual({ id: 7, name: 'Ada' });
    expect(await cache.wrap('user:7', loadUser, 60_000)).toEqual({ id: 7, name: 'Ada' });
    expect(loads).toBe(1); // the second read was a hit
    expect(await cache.get('user:7')).toEqual({ id: 7, name: 'Ada' });
    expect(await cache.mget(['user:7', 'user:8'])).toEqual([{ id: 7, name: 'Ada' }, undefined]);

    await server.stop();
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      expect(await cache.get('user:7')).toBeUndefined();
      expect(await cache.wrap('user:7', loadUser, 60_000)).toEqual({ id: 7, name: 'Ada' });
      expect(await cache.mget(['user:7', 'user:8'])).toEqual([undefined, undefined]);
      await cache.set('user:8', { id: 8 }, 60_000);
      await cache.mset([{ key: 'user:9', value: { id: 9 } }]);
      await cache.del('user:7');
      expect(await cache.ttl('user:7')).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
    }
    expect(loads).toBe(6); // every read while down fell back to the loader
    await waitForState(client, 'reconnecting');
    await cache.clear();
    expect(await cache.get('user:7')).toBeUndefined();
  });
});

describe("the README's cache-manager snippet", () => {
  it('run as printed, in a process of its own, answers and lets the process exit by itself', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const snippet = [...readme.matchAll(/```ts\n([\s\S]*?)\n```/g)]
      .map((block) => block[1] as string)
      .find((code) => code.includes("'reconnecting-memcached/keyv'") && code.includes("'cache-manager'"));
    expect(snippet).toBeDefined();
    // The snippet's free names, and the package's entries as this checkout's sources.
    const source = `const servers = [${JSON.stringify(server.address)}];
const id = 7;
const db = { loadUser: async (id) => ({ id, name: 'Ada' }) };
${(snippet as string)
  .replaceAll("'reconnecting-memcached/keyv'", JSON.stringify(join(root, 'src', 'keyv', 'index.ts')))
  .replaceAll("'reconnecting-memcached'", JSON.stringify(join(root, 'src', 'index.ts')))}
console.log(JSON.stringify(user));`;
    // A client left open holds the process until runModule's guard kills it.
    const { code, signal, output } = await runModule(source);
    expect({ code, signal, output: output.trim() }).toEqual({ code: 0, signal: null, output: '{"id":7,"name":"Ada"}' });
  });
});
