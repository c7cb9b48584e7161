import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { Client } from '../../../src/api/Client';
import { createClientWithPort } from '../../../src/client/createClient';
import { InvalidItemError, InvalidOptionError } from '../../../src/core/errors';
import { FakeMemcached } from '../../support/FakeMemcached';

const TIMEOUT = 100;

function setup(servers: string | string[] = 'fake:11211') {
  const fake = new FakeMemcached();
  const clock = new SimulatedClock();
  const cache = createClientWithPort({ servers, timeoutMs: TIMEOUT, clock }, fake.factory, { random: () => 0 });
  return { fake, clock, cache };
}

async function rejection(call: Promise<unknown>): Promise<Error> {
  return call.then(
    (answer) => {
      throw new Error(`resolved with ${JSON.stringify(answer)}`);
    },
    (err: Error) => err,
  );
}

const loader = () => 'loaded';

describe('an unknown field of an item is refused before any I/O, naming the likely one', () => {
  const cases: Array<[string, (c: Client<Buffer, Buffer | string>) => Promise<unknown>, string, string]> = [
    ['set with ttl', (c) => c.set({ key: 'k', value: 'v', ttl: 1 } as never), 'ttl', 'expiration'],
    ['set with expires', (c) => c.set({ key: 'k', value: 'v', expires: 1 } as never), 'expires', 'expiration'],
    ['set with a misspelt flags', (c) => c.set({ key: 'k', value: 'v', flag: 1 } as never), 'flag', 'flags'],
    ['add with exptime', (c) => c.add({ key: 'k', value: 'v', exptime: 1 } as never), 'exptime', 'expiration'],
    ['replace with valeu', (c) => c.replace({ key: 'k', valeu: 'v' } as never), 'valeu', 'value'],
    ['cas with a misspelt token', (c) => c.cas({ key: 'k', value: 'v', cas: 1n, cass: 1n } as never), 'cass', 'cas'],
    [
      'setMulti with ttl on its second item',
      (c) => c.setMulti([{ key: 'a', value: 'v' }, { key: 'b', value: 'v', ttl: 5 } as never]),
      'ttl',
      'expiration',
    ],
  ];

  it.each(cases)('%s', async (_, call, field, likely) => {
    const { cache, fake } = setup();
    const err = await rejection(call(cache));
    expect(err).toBeInstanceOf(InvalidItemError);
    expect((err as InvalidItemError).code).toBe('ERR_INVALID_ITEM');
    expect(err.message).toContain(`"${field}"`);
    expect(err.message).toContain(`did you mean ${likely}?`);
    expect(fake.calls).toEqual([]);
  });

  it('lists the fields when nothing is near, without showing the value', async () => {
    const { cache, fake } = setup();
    const err = await rejection(cache.set({ key: 'k', value: 'v', zzzzzz: 'SECRET-VALUE' } as never));
    expect(err.message).toMatch(/"zzzzzz".*one of key, value, flags, expiration/);
    expect(err.message).not.toContain('SECRET-VALUE');
    expect(fake.calls).toEqual([]);
  });

  it('still takes every documented field, and an inherited one is not counted', async () => {
    const { cache, fake } = setup();
    expect(await cache.set({ key: 'k', value: 'v', flags: 1, expiration: 10 })).toBe(true);
    const item = Object.assign(Object.create({ inherited: true }), { key: 'k2', value: 'v' });
    expect(await cache.set(item)).toBe(true);
    expect(fake.calls).toEqual(['set', 'set']);
  });
});

describe('an unknown per-call option is refused before any I/O, naming the likely one', () => {
  const cases: Array<[string, (c: Client<Buffer, Buffer | string>) => Promise<unknown>, string, string]> = [
    ['get with timeout', (c) => c.get('k', { timeout: 1 } as never), 'timeout', 'timeoutMs'],
    ['set with timeoutMS', (c) => c.set({ key: 'k', value: 'v' }, { timeoutMS: 1 } as never), 'timeoutMS', 'timeoutMs'],
    ['delete with abortSignal', (c) => c.delete('k', { abortSignal: null } as never), 'abortSignal', 'signal'],
    ['getMulti with timeOut', (c) => c.getMulti(['a', 'b'], { timeOut: 5 } as never), 'timeOut', 'timeoutMs'],
    ['getMulti of no key with timeOut', (c) => c.getMulti([], { timeOut: 5 } as never), 'timeOut', 'timeoutMs'],
    ['deleteMulti with signl', (c) => c.deleteMulti(['a'], { signl: null } as never), 'signl', 'signal'],
    ['flush with timeout', (c) => c.flush({ timeout: 5 } as never), 'timeout', 'timeoutMs'],
    ['ping with timeout', (c) => c.ping({ timeout: 5 } as never), 'timeout', 'timeoutMs'],
    ['incr with inital', (c) => c.incr('n', 1, { inital: 5 } as never), 'inital', 'initial'],
    ['decr with ttl', (c) => c.decr('n', 1, { initial: 0, ttl: 5 } as never), 'ttl', 'expiration'],
    ['fetch with expiration', (c) => c.fetch('k', loader, { expiration: 5 } as never), 'expiration', 'ttl'],
    ['fetch with staleTTL', (c) => c.fetch('k', loader, { ttl: 5, staleTTL: 5 } as never), 'staleTTL', 'staleTtl'],
    ['invalidate with stale', (c) => c.invalidate('k', { staleTl: 5 } as never), 'staleTl', 'staleTtl'],
  ];

  it.each(cases)('%s', async (_, call, option, likely) => {
    const { cache, fake } = setup(['a:1', 'b:1']);
    const err = await rejection(call(cache));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe(option);
    expect(err.message).toContain(`did you mean ${likely}?`);
    expect(fake.calls).toEqual([]);
  });

  it('still takes every documented option', async () => {
    const { cache, fake } = setup();
    const signal = new AbortController().signal;
    expect(await cache.get('k', { timeoutMs: 50, signal })).toEqual({ ok: true, item: undefined });
    expect(await cache.incr('n', 1, { initial: 3, expiration: 10, timeoutMs: 50, signal })).toEqual({
      ok: true,
      value: 3,
    });
    expect(await cache.invalidate('k', { staleTtl: 0 })).toBe(true);
    expect(fake.calls).toEqual(['get', 'incr', 'delete']);
  });
});

describe('per-call options are read once', () => {
  /** Options whose `timeoutMs` answers 100 the first time and Infinity after: counts its reads. */
  function shifty() {
    const reads = { count: 0 };
    const opts = {
      get timeoutMs() {
        reads.count++;
        return reads.count === 1 ? TIMEOUT : Number.POSITIVE_INFINITY;
      },
    };
    return { opts, reads };
  }

  it.each([
    ['get', (c: Client, opts: object) => c.get('k', opts)],
    ['incr', (c: Client, opts: object) => c.incr('n', 1, opts)],
    ['getMulti over two servers', (c: Client, opts: object) => c.getMulti(['a', 'b', 'c', 'd'], opts)],
    ['stats over two servers', (c: Client, opts: object) => c.stats(opts).catch((err: Error) => err.name)],
  ])('%s: the deadline checked is the one used', async (_, call) => {
    const { cache, clock, fake } = setup(['a:1', 'b:1']);
    fake.mode = 'blackhole';
    const { opts, reads } = shifty();
    let settled = false;
    const answer = call(cache, opts).finally(() => {
      settled = true;
    });
    clock.increment(TIMEOUT);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(true);
    expect(reads.count).toBe(1);
    await answer;
  });
});

describe('an absolute expiration already past is refused before any I/O', () => {
  // Over 30 days, so memcached reads it as a Unix time: 1970-02-04, long gone.
  const PAST = 3_000_000;
  const calls: Array<[string, (c: Client<Buffer, Buffer | string>, e: number) => Promise<unknown>]> = [
    ['set', (c, e) => c.set({ key: 'k', value: 'v', expiration: e })],
    ['add', (c, e) => c.add({ key: 'k', value: 'v', expiration: e })],
    ['replace', (c, e) => c.replace({ key: 'k', value: 'v', expiration: e })],
    ['cas', (c, e) => c.cas({ key: 'k', value: 'v', expiration: e, cas: 1n as never })],
    ['setMulti', (c, e) => c.setMulti([{ key: 'k', value: 'v', expiration: e }])],
    ['touch', (c, e) => c.touch('k', e)],
    ['gat', (c, e) => c.gat('k', e)],
    ['incr', (c, e) => c.incr('n', 1, { initial: 0, expiration: e })],
    ['fetch', (c, e) => c.fetch('k', loader, { ttl: e })],
    ['invalidate', (c, e) => c.invalidate('k', { staleTtl: e })],
  ];

  it.each(calls)('%s', async (_, call) => {
    const { cache, fake } = setup();
    const err = await rejection(call(cache, PAST));
    expect(err).toMatchObject({ name: 'InvalidExpirationError', code: 'ERR_INVALID_EXPIRATION' });
    expect(err.message).toContain('over 30 days (2592000 seconds), so memcached reads it as a Unix time');
    expect(err.message).toContain('1970-02-04T17:20:00.000Z');
    expect(fake.calls).toEqual([]);
  });

  it('takes 30 days as relative, a Unix time ahead of the clock, and refuses it once the clock passes it', async () => {
    const { cache, clock, fake } = setup();
    expect(await cache.set({ key: 'k', value: 'v', expiration: 30 * 24 * 3600 })).toBe(true);
    const soon = Math.floor(Date.now() / 1000) + 60;
    expect(await cache.set({ key: 'k', value: 'v', expiration: soon })).toBe(true);
    expect(await cache.touch('k', soon)).toEqual({ ok: true, found: true });
    clock.increment(61_000);
    await expect(cache.set({ key: 'k', value: 'v', expiration: soon })).rejects.toThrow(/already past/);
    await expect(cache.touch('k', soon)).rejects.toThrow(/already past/);
    expect(fake.calls).toEqual(['set', 'set', 'touch']);
  });
});
