import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import type { Codec } from '../../../src/codec/Codec';
import { jsonCodec } from '../../../src/codec/jsonCodec';
import { DecodeError } from '../../../src/core/errors';
import type { Logger } from '../../../src/core/logger';
import { FakeMemcached } from '../../support/FakeMemcached';

// fetch decodes through the client's Values, as get does (values go through the client's codec):
// what get answers `reason: 'decode'` is a miss for fetch. The fake port speaks no leases,
// so this is the binary path; the meta path runs against memcached in test/integration/fetch.test.ts.

/** A codec whose decode answers a promise, as compressed() does: numbers as decimal text. */
const asyncNumbers: Codec<number> = {
  encode: (value) => ({ value: Buffer.from(String(value)), flags: 0 }),
  decode: async (bytes) => {
    const n = Number(bytes.toString());
    if (!Number.isFinite(n)) throw new Error(`not a number: ${bytes.toString()}`);
    return n;
  },
};

function setup<V, In>(codec: Codec<V, In>, keyPrefix?: string) {
  const fake = new FakeMemcached();
  const warnings: unknown[] = [];
  const logger: Logger = { error() {}, info() {}, debug() {}, warn: (_message, err) => void warnings.push(err) };
  const cache = createClientWithPort<V, In>(
    { servers: 'fake:11211', timeoutMs: 100, clock: new SimulatedClock(), logger, codec, keyPrefix },
    fake.factory,
  );
  return { fake, cache, warnings };
}

describe('fetch through the client codec', () => {
  it('a stored value an async codec rejects is a miss: loaded, stored over, warned with the DecodeError', async () => {
    const { fake, cache, warnings } = setup(asyncNumbers, 'app:');
    fake.put('app:n', Buffer.from('garbage'), 0);
    const got = await cache.get('n');
    expect(got).toMatchObject({ ok: false, reason: 'decode', error: { key: 'n' } });
    expect(await cache.fetch('n', () => 42, { ttl: 60 })).toBe(42);
    expect(fake.store.get('app:n')?.value.toString()).toBe('42');
    expect(warnings).toHaveLength(1);
    // The same DecodeError get answers: the caller's key, not the prefixed one.
    expect(warnings[0]).toBeInstanceOf(DecodeError);
    expect(warnings[0]).toMatchObject({ code: 'ERR_DECODE', key: 'n', flags: 0 });
    expect(await cache.fetch('n', () => 0, { ttl: 60 })).toBe(42);
    expect(fake.calls.filter((op) => op === 'set')).toHaveLength(1);
  });

  it('a hit that decodes is answered as get answers it, with no load and no store', async () => {
    const { fake, cache, warnings } = setup(jsonCodec<{ a: number }>());
    fake.put('k', Buffer.from('{"a":1}'), 0);
    let loads = 0;
    expect(await cache.fetch('k', () => ({ a: ++loads }), { ttl: 60 })).toEqual({ a: 1 });
    expect(loads).toBe(0);
    expect(fake.calls).toEqual(['get']);
    expect(warnings).toEqual([]);
  });

  it('a loaded value the codec cannot decode back rejects with a DecodeError, after storing it', async () => {
    const oneWay: Codec<string> = {
      encode: (value) => ({ value: Buffer.from(value), flags: 0 }),
      decode: () => {
        throw new Error('this codec only writes');
      },
    };
    const { fake, cache } = setup(oneWay);
    await expect(cache.fetch('w', () => 'v', { ttl: 60 })).rejects.toMatchObject({
      code: 'ERR_DECODE',
      key: 'w',
      cause: { message: 'this codec only writes' },
    });
    expect(fake.store.get('w')?.value.toString()).toBe('v');
  });

  it('a loaded value the codec cannot encode rejects with InvalidValueError, as set does, storing nothing', async () => {
    const { fake, cache } = setup(jsonCodec());
    await expect(cache.fetch('u', () => undefined, { ttl: 60 })).rejects.toMatchObject({ code: 'ERR_INVALID_VALUE' });
    await expect(cache.set({ key: 'u', value: undefined })).rejects.toMatchObject({ code: 'ERR_INVALID_VALUE' });
    expect(fake.store.has('u')).toBe(false);
  });
});
