import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { startMemcached } from '../../src/testing/memcached';
import { textGet } from '../support/memcachedText';
import { startNutcracker } from '../support/nutcracker';
import { waitForState } from '../support/waitForState';

// The client with protocol 'text' behind twemproxy (Debian's nutcracker 0.5.0) whose backends die,
// each test with memcached and nutcracker processes of its own, on loopback (docs/proxies.md).
const clients: Client[] = [];
afterAll(async () => {
  for (const cache of clients) await cache.close();
});

describe('behind twemproxy, a dead backend is not a dead proxy', () => {
  it("a dead backend's keys answer not-ok reason server and never count; the other backends' keys keep working; a dead proxy counts, and heals", async () => {
    const own = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
    let front = await startNutcracker({ backends: own.map((b) => b.address) });
    try {
      const cache = createClient({
        servers: front.address,
        protocol: 'text',
        timeoutMs: 1500,
        allowedFailuresBeforeHealing: 2,
        recoveryDelayMs: 50,
        maxRecoveryDelayMs: 200,
      });
      clients.push(cache);
      const keys = Array.from({ length: 30 }, (_, i) => `user:${i * 7919}:profile`);
      expect(await cache.setMulti(keys.map((key) => ({ key, value: `v-${key}` })))).toMatchObject({ ok: true });
      // Which backend holds each key, asked of each directly.
      const owner = new Map<string, number>();
      for (const key of keys) {
        const held = await Promise.all(own.map((b) => textGet(b.port, key)));
        owner.set(
          key,
          held.findIndex((h) => h !== undefined),
        );
      }
      const deadKeys = keys.filter((key) => owner.get(key) === 0).slice(0, 3);
      const liveKeys = keys.filter((key) => owner.get(key)! > 0).slice(0, 3);
      expect(deadKeys.length).toBeGreaterThan(0);
      expect(liveKeys.length).toBeGreaterThan(0);
      // One getMulti over keys of every backend: twemproxy splits it and answers each hit, in order.
      const all = await cache.getMulti(keys);
      expect(all.ok && [...all.items.keys()]).toEqual(keys);

      await own[0]!.stop();
      for (let round = 0; round < 5; round++) {
        for (const key of deadKeys) {
          expect(await cache.get(key)).toMatchObject({ ok: false, reason: 'server' });
          expect(await cache.touch(key, 100)).toMatchObject({ ok: false, reason: 'server' });
          expect(await cache.set({ key, value: 'x' })).toBe(false);
        }
        for (const key of liveKeys) {
          expect(await cache.get(key)).toMatchObject({ ok: true, item: { value: Buffer.from(`v-${key}`) } });
        }
      }
      // A getMulti with a key on the dead backend: twemproxy answers SERVER_ERROR for the whole
      // batch, then closes the connection; nothing else was in flight, so nothing counts.
      const mixed = await cache.getMulti([...deadKeys, ...liveKeys]);
      console.log(
        `twemproxy getMulti over a dead backend: ${JSON.stringify(mixed.ok ? mixed.unavailable : mixed.reason)}`,
      );
      expect(mixed).toMatchObject({ ok: false, reason: 'server' });
      expect(await cache.get(liveKeys[0]!)).toMatchObject({ ok: true });
      expect(cache.servers()[0]).toMatchObject({ state: 'connected', failures: 0 });

      // The proxy itself dies: its calls fail as connection failures, counted, and it heals once a
      // proxy answers again, though the backend twemproxy asks `version` of may be the dead one.
      await front.stop();
      for (let call = 0; call < 5 && cache.state !== 'reconnecting'; call++) {
        expect(await cache.get(liveKeys[0]!)).toMatchObject({ ok: false, reason: 'connection' });
      }
      await waitForState(cache, 'reconnecting');
      front = await startNutcracker({ backends: own.map((b) => b.address), port: front.port });
      await waitForState(cache, 'connected', 10_000);
      expect(await cache.get(liveKeys[0]!)).toMatchObject({
        ok: true,
        item: { value: Buffer.from(`v-${liveKeys[0]}`) },
      });
      expect(await cache.get(deadKeys[0]!)).toMatchObject({ ok: false, reason: 'server' });
    } finally {
      await front.stop();
      for (const backend of own) await backend.stop();
    }
  });

  it('64 gets at once, half of them on a dead backend: the healthy keys hit, the dead ones answer reason server, and nothing counts against the proxy', async () => {
    const own = await Promise.all([startMemcached(), startMemcached()]);
    const front = await startNutcracker({ backends: own.map((b) => b.address) });
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `co:${i * 7919}`);
      const seeder = createClient({ servers: front.address, protocol: 'text' });
      clients.push(seeder);
      expect(await seeder.setMulti(keys.map((key) => ({ key, value: `v-${key}` })))).toMatchObject({ ok: true });
      const onDead = new Set<string>();
      for (const key of keys) if ((await textGet(own[0]!.port, key)) !== undefined) onDead.add(key);
      const dead = keys.filter((key) => onDead.has(key)).slice(0, 32);
      const live = keys.filter((key) => !onDead.has(key)).slice(0, 32);
      expect([dead.length, live.length]).toEqual([32, 32]);
      // Interleaved, so that every line of several keys has keys of both backends.
      const mixed = dead.flatMap((key, i) => [key, live[i]!]);
      await own[0]!.stop();

      for (let round = 0; round < 3; round++) {
        const cache = createClient({
          servers: front.address,
          protocol: 'text',
          timeoutMs: 3000,
          allowedFailuresBeforeHealing: 2,
        });
        clients.push(cache);
        expect(await cache.get(live[0]!)).toMatchObject({ ok: true });
        // In the same tick, behind the gets' lines on the connection twemproxy closes: a set of a
        // healthy key, and more gets.
        const [answers, stored, after] = await Promise.all([
          Promise.all(mixed.map((key) => cache.get(key))),
          cache.set({ key: live[1]!, value: `v-${live[1]}` }),
          Promise.all(mixed.map((key) => cache.get(key))),
        ]);
        for (const [i, answer] of [...answers, ...after].entries()) {
          const key = mixed[i % mixed.length]!;
          if (onDead.has(key)) expect(answer, key).toMatchObject({ ok: false, reason: 'server' });
          else expect(answer, key).toMatchObject({ ok: true, item: { value: Buffer.from(`v-${key}`) } });
        }
        // Stored, or refused as the server's answer when twemproxy closed the connection before it.
        expect(typeof stored).toBe('boolean');
        expect(cache.servers()[0]).toMatchObject({ state: 'connected', failures: 0 });
        // The port now sends one key per line: the same calls again, each answered as before.
        const again = await Promise.all(mixed.map((key) => cache.get(key)));
        expect(again.map((answer) => answer.ok)).toEqual(answers.map((answer) => answer.ok));
        expect(cache.servers()[0]).toMatchObject({ state: 'connected', failures: 0 });
      }
    } finally {
      await front.stop();
      for (const backend of own) await backend.stop();
    }
  });
});
