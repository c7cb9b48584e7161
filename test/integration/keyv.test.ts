import keyvTestSuite from '@keyv/test-suite';
import Keyv from 'keyv';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import type { GetResult } from '../../src/api/results';
import { createClient } from '../../src/client/createClient';
import { KeyvStore } from '../../src/keyv';
import { GENERATION_KEY_PREFIX } from '../../src/keyv/generation';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { waitForState } from '../support/waitForState';

let server: MemcachedProcess;
let cache: Client;
// A second client stands for another process sharing the same memcached.
let other: Client;

beforeAll(async () => {
  server = await startMemcached();
  cache = createClient({ servers: [server.address], timeoutMs: 500 });
  other = createClient({ servers: [server.address], timeoutMs: 500 });
});
afterAll(async () => {
  await cache?.close();
  await other?.close();
  await server?.stop();
});

/**
 * The `clients` as stores see them, except that their first reads of a generation key (one each)
 * answer only once all of them have been answered by memcached: every store has read that the
 * generation is missing before any of them writes one.
 */
function readingTogether(clients: Client[]): Client[] {
  let answered = 0;
  let release = (): void => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return clients.map((client) => {
    const held = async (key: string): Promise<GetResult> => {
      const answer = await client.get(key);
      if (!key.startsWith(GENERATION_KEY_PREFIX) || answered >= clients.length) return answer;
      if (++answered === clients.length) release();
      await all;
      return answer;
    };
    return new Proxy(client, {
      get(target, property) {
        if (property === 'get') return held;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
}

describe('Keyv compliance (@keyv/test-suite) against a real memcached', () => {
  keyvTestSuite(vitest, Keyv, () => new KeyvStore(cache));
});

describe('KeyvStore', () => {
  it('clear() clears its namespace for every process at once, and leaves other namespaces alone', async () => {
    const here = new Keyv({ store: new KeyvStore(cache), namespace: 'sessions' });
    const there = new Keyv({ store: new KeyvStore(other), namespace: 'sessions' });
    const users = new Keyv({ store: new KeyvStore(other), namespace: 'users' });
    await here.set('a', 1);
    await users.set('a', 'kept');
    expect(await there.get('a')).toBe(1);
    await there.clear();
    expect(await here.get('a')).toBeUndefined();
    expect(await there.get('a')).toBeUndefined();
    expect(await users.get('a')).toBe('kept');
    // A clear is no flush: the item is still in memcached, unreachable under its old generation.
    expect(await cache.get('sessions:a')).toMatchObject({ ok: true, item: { key: 'sessions:a' } });
    await here.set('a', 2);
    expect(await there.get('a')).toBe(2);
  });

  it('two stores creating one namespace at once agree on one generation: neither first write is lost', async () => {
    // Two processes (two connections): each store reads that the namespace has no generation
    // before either creates one.
    const [here, there] = readingTogether([cache, other]);
    const one = new Keyv({ store: new KeyvStore(here as Client), namespace: 'race' });
    const two = new Keyv({ store: new KeyvStore(there as Client), namespace: 'race' });
    expect(await Promise.all([one.set('a', 'from one'), two.set('b', 'from two')])).toEqual([true, true]);
    expect(await two.get('a')).toBe('from one');
    expect(await one.get('b')).toBe('from two');
    const generation = await cache.get('keyv-generation:race');
    const items = await cache.getMulti(['race:a', 'race:b']);
    expect(items.ok && [...items.items.values()].map((item) => String(item.flags))).toEqual(
      Array(2).fill(generation.ok && generation.item?.value.toString()),
    );
  });

  it('stores keys memcached cannot take (spaces, over 250 bytes) under a hash, and reads them back', async () => {
    const keyv = new Keyv({ store: new KeyvStore(cache), namespace: 'urls' });
    const spaced = 'GET /search?q=hello world';
    const long = `k${'x'.repeat(400)}`;
    expect(await keyv.set(spaced, 'one')).toBe(true);
    expect(await keyv.set(long, 'two')).toBe(true);
    expect(await keyv.get(spaced)).toBe('one');
    expect(await keyv.get(long)).toBe('two');
    expect(await keyv.get(`${long}y`)).toBeUndefined();
    expect(await keyv.delete(spaced)).toBe(true);
    expect(await keyv.get(spaced)).toBeUndefined();
  });

  it('a lost generation key (evicted, memcached restarted) makes the namespace empty, never brings back old items', async () => {
    const keyv = new Keyv({ store: new KeyvStore(cache), namespace: 'evicted' });
    await keyv.set('a', 'old');
    expect(await cache.delete('keyv-generation:evicted')).toBe(true);
    expect(await keyv.get('a')).toBeUndefined();
    await keyv.set('b', 'new');
    expect(await keyv.get('b')).toBe('new');
    expect(await keyv.get('a')).toBeUndefined();
  });

  it('while memcached is down every Keyv call answers a miss or false at once, and a clear() made then still holds after', async () => {
    const proxy = await FaultProxy.start({ port: server.port });
    const down = createClient({
      servers: [proxy.address],
      timeoutMs: 2000,
      allowedFailuresBeforeHealing: 1,
      recoveryDelayMs: 20,
      maxRecoveryDelayMs: 40,
    });
    try {
      const keyv = new Keyv({ store: new KeyvStore(down), namespace: 'outage' });
      await keyv.set('a', 'before');
      await proxy.kill();
      expect(await keyv.get('a')).toBeUndefined();
      await waitForState(down, 'reconnecting');
      // A black hole from now on: any call that did I/O would wait out the 2 s deadline.
      await proxy.blackHole();
      const started = performance.now();
      expect(await keyv.get('a')).toBeUndefined();
      expect(await keyv.get(['a', 'b'])).toEqual([undefined, undefined]);
      expect(await keyv.has('a')).toBe(false);
      expect(await keyv.set('a', 'during')).toBe(false);
      expect(await keyv.delete('a')).toBe(false);
      await keyv.clear();
      expect(performance.now() - started).toBeLessThan(2000);
      await proxy.restore();
      await waitForState(down, 'connected');
      // The clear could not be stored while down: the store clears again before it reads.
      expect(await keyv.get('a')).toBeUndefined();
      expect(await keyv.set('a', 'after')).toBe(true);
      expect(await keyv.get('a')).toBe('after');
    } finally {
      await down.close();
      await proxy.close();
    }
  });

  it('closes the client it created on disconnect(), never one it was given', async () => {
    const owned = new KeyvStore({ servers: [server.address] });
    const keyv = new Keyv({ store: owned });
    await keyv.set('x', 1);
    await keyv.disconnect();
    expect(owned.client.state).toBe('closed');
    const borrowed = new Keyv({ store: new KeyvStore(cache) });
    await borrowed.disconnect();
    expect(cache.state).toBe('connected');
  });
});
