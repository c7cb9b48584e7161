// fallback.test.mjs: an app's fallback, tested against a real memcached that stops answering.
import { createClient } from 'reconnecting-memcached';
import { FaultProxy, startMemcached } from 'reconnecting-memcached/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The code under test: a read-through cache that goes to the database on any not-ok answer.
async function loadUser(cache, db, id) {
  const cached = await cache.get(`user:${id}`);
  if (cached.ok && cached.item) return JSON.parse(cached.item.value.toString());
  const user = await db.loadUser(id);
  await cache.set({ key: `user:${id}`, value: JSON.stringify(user), expiration: 60 });
  return user;
}

let memcached;
let proxy;
let cache;
beforeAll(async () => {
  memcached = await startMemcached(); // a real memcached on a free port (needs it on the PATH)
  proxy = await FaultProxy.start({ port: memcached.port }); // the client talks to it through the proxy
  cache = createClient({ servers: [proxy.address], timeoutMs: 100, allowedFailuresBeforeHealing: 2 });
});
afterAll(async () => {
  await cache.close();
  await proxy.close();
  await memcached.stop();
});

it('answers from the database, without waiting, while memcached hangs', async () => {
  let loads = 0;
  const db = { loadUser: async (id) => ({ id, loads: ++loads }) };
  expect(await loadUser(cache, db, 1)).toEqual({ id: 1, loads: 1 });
  expect(await loadUser(cache, db, 1)).toEqual({ id: 1, loads: 1 }); // from memcached

  await proxy.blackHole(); // memcached accepts requests and never answers
  const waited = performance.now();
  expect(await loadUser(cache, db, 1)).toEqual({ id: 1, loads: 2 }); // after its calls' deadlines
  const oneWait = performance.now() - waited;
  for (let i = 0; i < 10 && cache.state !== 'reconnecting'; i++) await loadUser(cache, db, 1);
  expect(cache.state).toBe('reconnecting');

  // Now the app falls back at once: 100 requests cost less than the one that waited.
  const started = performance.now();
  for (let i = 0; i < 100; i++) expect((await loadUser(cache, db, 1)).id).toBe(1);
  expect(performance.now() - started).toBeLessThan(oneWait);
  expect(cache.connectionAvailable()).toBe(false); // e.g. for a health check
});
