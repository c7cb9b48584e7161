import { describe, expect, it } from 'vitest';
import type { Client } from '../../../src/api/Client';
import {
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidItemError,
  InvalidKeyError,
  InvalidValueError,
} from '../../../src/core/errors';
import { failCalls, setupFakeClient as setup } from '../../support/fakeClient';

describe('Client over a fake port: the healthy path', () => {
  it('stores, reads, multi-reads and deletes', async () => {
    const { cache } = setup();
    expect(await cache.set({ key: 'a', value: 'x', flags: 3, expiration: 10 })).toBe(true);
    expect(await cache.get('a')).toEqual({ ok: true, item: { key: 'a', value: Buffer.from('x'), flags: 3 } });
    const multi = await cache.getMulti(['a', 'b']);
    expect(multi.ok && [...multi.items.keys()]).toEqual(['a']);
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.get('a')).toEqual({ ok: true, item: undefined });
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(cache.state).toBe('connected');
    expect(cache.connectionAvailable()).toBe(true);
  });

  it('set(null) and set(undefined) are trivially true and do no I/O', async () => {
    const { cache, fake } = setup();
    expect(await cache.set(null)).toBe(true);
    expect(await cache.set(undefined)).toBe(true);
    expect(fake.calls).toEqual([]);
  });

  it('a miss is a success: it resets the failure count', async () => {
    const { cache, fake } = setup({ allowed: 3 });
    await failCalls(fake, cache, 2);
    expect(cache.state).toBe('degraded');
    expect(await cache.get('nope')).toEqual({ ok: true, item: undefined });
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
  });
});

describe('Client over a fake port: bad input', () => {
  const bad: Array<[string, (c: Client) => Promise<unknown>, new (...args: never[]) => Error, string]> = [
    ['get with an empty key', (c) => c.get(''), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['get with a 251-byte key', (c) => c.get('k'.repeat(251)), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['get with a space', (c) => c.get('a b'), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['get with a number', (c) => c.get(42 as never), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['getMulti with a non-array', (c) => c.getMulti('a' as never), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['getMulti with one bad key', (c) => c.getMulti(['a', '\n']), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['delete with a control char', (c) => c.delete('a\u0001'), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['set with a bad key', (c) => c.set({ key: '', value: 'v' }), InvalidKeyError, 'ERR_INVALID_KEY'],
    ['set with a number value', (c) => c.set({ key: 'k', value: 5 as never }), InvalidValueError, 'ERR_INVALID_VALUE'],
    [
      'set with a negative expiration',
      (c) => c.set({ key: 'k', value: 'v', expiration: -1 }),
      InvalidExpirationError,
      'ERR_INVALID_EXPIRATION',
    ],
    [
      'set with fractional flags',
      (c) => c.set({ key: 'k', value: 'v', flags: 0.5 }),
      InvalidFlagsError,
      'ERR_INVALID_FLAGS',
    ],
    ['set with a string item', (c) => c.set('k' as never), InvalidItemError, 'ERR_INVALID_ITEM'],
    ['set with an array item', (c) => c.set([] as never), InvalidItemError, 'ERR_INVALID_ITEM'],
  ];

  it.each(bad)('%s rejects with a typed error, does no I/O and counts nothing', async (_, call, type, code) => {
    const { cache, fake, changes } = setup({ allowed: 1 });
    const error = await call(cache).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as { code: string }).code).toBe(code);
    expect(fake.calls).toEqual([]);
    expect(cache.state).toBe('connected');
    expect(changes).toEqual([]);
  });
});
