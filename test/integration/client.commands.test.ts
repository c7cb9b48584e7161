import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src';
import type { CasToken } from '../../src/api/Item';
import {
  AdminCommandError,
  ConnectionDownError,
  CounterRangeError,
  InvalidKeyError,
  ServerError,
} from '../../src/core/errors';
import { type MemcachedProcess, startBlackHole, startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';

// Every command against a real memcached: the normal answers, each refusal memcached can make, and
// the answers that must never count as an outage. A Unix time already past is refused before it
// reaches memcached: client.inputs.test.ts.
describe('commands against a real memcached', () => {
  let memcached: MemcachedProcess;
  let cache: Client;
  let other: Client;
  let n = 0;
  const fresh = (name: string) => `${name}:${++n}`;
  const SOON = Math.floor(Date.now() / 1000) + 3600;
  const cleanup = afterEachCleanup();

  beforeAll(async () => {
    memcached = await startMemcached();
    cache = createClient({ servers: memcached.address, timeoutMs: 2000, allowedFailuresBeforeHealing: 1 });
    other = createClient({ servers: memcached.address, timeoutMs: 2000 });
  });
  afterAll(async () => {
    // Nothing the commands answered counted as a failure (one would have tripped reconnecting).
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(cache.state).toBe('connected');
    await cache.close();
    await other.close();
    await memcached.stop();
  });

  it('add stores only an absent key, replace only a present one', async () => {
    const key = fresh('add');
    expect(await cache.replace({ key, value: 'r' })).toEqual({ ok: true, stored: false, status: 'not_found' });
    expect(await cache.add({ key, value: 'a', flags: 3 })).toEqual({ ok: true, stored: true });
    expect(await cache.add({ key, value: 'b' })).toEqual({ ok: true, stored: false, status: 'exists' });
    expect(await cache.get(key)).toEqual({ ok: true, item: { key, value: Buffer.from('a'), flags: 3 } });
    expect(await cache.replace({ key, value: 'r' })).toEqual({ ok: true, stored: true });
    expect(await cache.get(key)).toEqual({ ok: true, item: { key, value: Buffer.from('r'), flags: 0 } });
  });

  it('add as a lock: of 20 concurrent callers on 4 connections, exactly one wins', async () => {
    const clients = [cache, other, ...[1, 2].map(() => createClient({ servers: memcached.address, timeoutMs: 2000 }))];
    for (const client of clients.slice(2)) cleanup(() => client.close());
    const key = fresh('lock');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => clients[i % 4]!.add({ key, value: `holder ${i}`, expiration: 30 })),
    );
    expect(answers.filter((a) => a.ok && a.stored)).toHaveLength(1);
    expect(answers.filter((a) => a.ok && !a.stored && a.status === 'exists')).toHaveLength(19);
  });

  it('append and prepend: not_stored when absent, else around the value', async () => {
    const key = fresh('concat');
    expect(await cache.append(key, 'x')).toEqual({ ok: true, stored: false, status: 'not_stored' });
    expect(await cache.prepend(key, 'x')).toEqual({ ok: true, stored: false, status: 'not_stored' });
    await cache.set({ key, value: 'mid', flags: 5 });
    expect(await cache.append(key, Buffer.from('>'))).toEqual({ ok: true, stored: true });
    expect(await cache.prepend(key, '<')).toEqual({ ok: true, stored: true });
    expect(await cache.get(key)).toEqual({ ok: true, item: { key, value: Buffer.from('<mid>'), flags: 5 } });
  });

  it('gets and cas: a conflict between two clients answers exists; a deleted item not_found', async () => {
    const key = fresh('cas');
    expect(await cache.gets(key)).toEqual({ ok: true, item: undefined });
    await cache.set({ key, value: '1' });
    const mine = await cache.gets(key);
    const theirs = await other.gets(key);
    if (!mine.ok || !mine.item || !theirs.ok || !theirs.item) throw new Error('gets missed');
    expect(typeof mine.item.cas).toBe('bigint');
    expect(theirs.item.cas).toBe(mine.item.cas);
    expect(await other.cas({ key, value: 'theirs', cas: theirs.item.cas })).toEqual({ ok: true, stored: true });
    expect(await cache.cas({ key, value: 'mine', cas: mine.item.cas })).toEqual({
      ok: true,
      stored: false,
      status: 'exists',
    });
    expect((await cache.get(key)).ok && (await cache.get(key))).toMatchObject({
      item: { value: Buffer.from('theirs') },
    });
    const again = await cache.gets(key);
    await other.delete(key);
    const token = (again.ok && again.item?.cas) as CasToken;
    expect(await cache.cas({ key, value: 'x', cas: token })).toEqual({ ok: true, stored: false, status: 'not_found' });
  });

  it('incr and decr: absent, created with initial, stop at 0, non-numeric answers server', async () => {
    const key = fresh('counter');
    expect(await cache.incr(key)).toEqual({ ok: true, value: undefined });
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
    expect(await cache.incr(key, 5, { initial: 10 })).toEqual({ ok: true, value: 10 });
    expect(await cache.incr(key, 5)).toEqual({ ok: true, value: 15 });
    expect(await cache.decr(key, 4)).toEqual({ ok: true, value: 11 });
    expect(await cache.decr(key, 100)).toEqual({ ok: true, value: 0 });
    await cache.set({ key, value: 'not a number' });
    const refused = await cache.incr(key);
    expect(refused).toMatchObject({ ok: false, reason: 'server' });
    expect((refused as { error?: unknown }).error).toBeInstanceOf(ServerError);
    // A created counter takes an expiration, a Unix time included.
    const timed = fresh('counter');
    expect(await cache.incr(timed, 1, { initial: 7, expiration: SOON })).toEqual({ ok: true, value: 7 });
  });

  it('counters above 2^53: a number delta rejects with the exact value, a bigint delta answers it', async () => {
    const key = fresh('big');
    await cache.set({ key, value: String(2n ** 53n) });
    const err = await cache.incr(key, 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CounterRangeError);
    expect((err as CounterRangeError).value).toBe(2n ** 53n + 1n);
    expect(await cache.incr(key, 1n)).toEqual({ ok: true, value: 2n ** 53n + 2n });
    expect(await cache.incr(key, 2n ** 64n - 1n)).toEqual({ ok: true, value: 2n ** 53n + 1n }); // wraps at 2^64
    expect(await cache.decr(key, 2n ** 53n)).toEqual({ ok: true, value: 1n });
    expect(await cache.incr(key, 1)).toEqual({ ok: true, value: 2 });
  });

  it('touch and gat move the expiration, to seconds from now or to a Unix time', async () => {
    const key = fresh('touch');
    expect(await cache.touch(key, 60)).toEqual({ ok: true, found: false });
    expect(await cache.gat(key, 60)).toEqual({ ok: true, item: undefined });
    await cache.set({ key, value: 'v', flags: 2 });
    expect(await cache.gat(key, 3600)).toEqual({ ok: true, item: { key, value: Buffer.from('v'), flags: 2 } });
    expect(await cache.touch(key, SOON)).toEqual({ ok: true, found: true });
    expect(await cache.get(key)).toEqual({ ok: true, item: { key, value: Buffer.from('v'), flags: 2 } });
  });

  it('setMulti and deleteMulti: one round, refused keys named, repeats once, empty lists ok', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => fresh(`multi${i}`));
    const huge = fresh('huge');
    const items = [...keys.map((key, i) => ({ key, value: `v${i}` })), { key: huge, value: Buffer.alloc(2 << 20) }];
    items.push({ key: keys[0]!, value: 'last wins' });
    expect(await cache.setMulti(items)).toEqual({ ok: true, failed: [huge], unavailable: [] });
    const got = await cache.getMulti([...keys, huge, keys[0]!]);
    if (!got.ok) throw new Error('getMulti failed');
    expect(got.items.size).toBe(keys.length);
    expect(got.items.get(keys[0]!)?.value.toString()).toBe('last wins');
    expect(got.items.get(keys[1]!)?.value.toString()).toBe('v1');
    expect(await cache.deleteMulti([...keys, keys[1]!, fresh('never')])).toEqual({ ok: true, unavailable: [] });
    expect(await cache.getMulti(keys)).toEqual({ ok: true, items: new Map(), unavailable: [] });
    expect(await cache.setMulti([])).toEqual({ ok: true, failed: [], unavailable: [] });
    expect(await cache.deleteMulti([])).toEqual({ ok: true, unavailable: [] });
  });

  it('stats and version answer per server; flush empties it', async () => {
    const stats = await cache.stats();
    expect([...stats.keys()]).toEqual([memcached.address]);
    expect(stats.get(memcached.address)?.get('pid')).toBe(String(memcached.process.pid));
    const versions = await cache.version();
    expect(versions.get(memcached.address)).toBe(stats.get(memcached.address)?.get('version'));
    const key = fresh('flush');
    await cache.set({ key, value: 'v' });
    await cache.flush();
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
  });
});

describe('admin commands over several servers', () => {
  const cleanup = afterEachCleanup();

  it('resolve a Map per server; one failing server rejects with AdminCommandError naming it', async () => {
    const up = await startMemcached();
    cleanup(() => up.stop());
    const hole = await startBlackHole();
    cleanup(() => hole.close());
    const both = createClient({ servers: [up.address, hole.address], timeoutMs: 200 });
    cleanup(() => both.close());
    const err = await both.version().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AdminCommandError);
    const admin = err as AdminCommandError;
    expect(admin.command).toBe('version');
    expect([...admin.failures.keys()]).toEqual([hole.address]);
    expect(admin.failures.get(hole.address)?.code).toBe('ERR_TIMEOUT');
    expect([...admin.answers.keys()]).toEqual([up.address]);
    expect(admin.message).toContain(hole.address);
  });

  it('with one server reconnecting, the error names it with a ConnectionDownError', async () => {
    const dead = await startMemcached();
    const cache = createClient({ servers: dead.address, timeoutMs: 200, allowedFailuresBeforeHealing: 1 });
    cleanup(() => cache.close());
    await dead.stop();
    expect((await cache.get('k')).ok).toBe(false);
    expect(cache.state).toBe('reconnecting');
    const err = (await cache.flush().catch((e: unknown) => e)) as AdminCommandError;
    expect(err).toBeInstanceOf(AdminCommandError);
    expect(err.failures.get(dead.address)).toBeInstanceOf(ConnectionDownError);
  });
});

describe('keyPrefix', () => {
  let memcached: MemcachedProcess;
  let app: Client;
  let raw: Client;
  beforeAll(async () => {
    memcached = await startMemcached();
    app = createClient({ servers: memcached.address, timeoutMs: 2000, keyPrefix: 'app:' });
    raw = createClient({ servers: memcached.address, timeoutMs: 2000 });
  });
  afterAll(async () => {
    await app.close();
    await raw.close();
    await memcached.stop();
  });

  it('is on the wire and never in the answers', async () => {
    expect(await app.set({ key: 'k', value: 'v' })).toBe(true);
    expect(await raw.get('app:k')).toMatchObject({ ok: true, item: { key: 'app:k' } });
    expect(await raw.get('k')).toEqual({ ok: true, item: undefined });
    expect(await app.get('k')).toEqual({ ok: true, item: { key: 'k', value: Buffer.from('v'), flags: 0 } });
    const gets = await app.gets('k');
    expect(gets.ok && gets.item?.key).toBe('k');
    expect(await app.gat('k', 0)).toMatchObject({ ok: true, item: { key: 'k' } });
    const many = await app.getMulti(['k', 'missing']);
    expect(many.ok && [...many.items.entries()]).toEqual([['k', { key: 'k', value: Buffer.from('v'), flags: 0 }]]);
    expect(
      await app.setMulti([
        { key: 'big', value: Buffer.alloc(2 << 20) },
        { key: 'm', value: '1' },
      ]),
    ).toEqual({
      ok: true,
      failed: ['big'],
      unavailable: [],
    });
    expect(await app.incr('m', 2)).toEqual({ ok: true, value: 3 });
    expect(await raw.get('app:m')).toMatchObject({ ok: true, item: { value: Buffer.from('3') } });
    expect(await app.deleteMulti(['k', 'm'])).toEqual({ ok: true, unavailable: [] });
    expect(await raw.getMulti(['app:k', 'app:m'])).toEqual({ ok: true, items: new Map(), unavailable: [] });
  });

  it('counts toward the 250-byte key limit, before any I/O', async () => {
    await expect(app.get('x'.repeat(246))).resolves.toMatchObject({ ok: true });
    await expect(app.get('x'.repeat(247))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(app.setMulti([{ key: 'y'.repeat(247), value: 'v' }])).rejects.toBeInstanceOf(InvalidKeyError);
  });
});
