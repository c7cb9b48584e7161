import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { compressed } from '../../src/codec/compressed';
import { jsonCodec } from '../../src/codec/jsonCodec';
import { DecodeError, InvalidFlagsError, InvalidValueError } from '../../src/core/errors';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';

// Every value-carrying command through one codec, against a real memcached: what goes in encoded,
// what comes out decoded, a value that does not decode answers reason 'decode'.
const cleanup = afterEachCleanup();

interface Doc {
  readonly n: number;
  readonly text: string;
}
const doc = (n: number): Doc => ({ n, text: 'x'.repeat(n * 500) }); // doc(3) and up get compressed

async function clients() {
  const server = await startMemcached();
  cleanup(() => server.stop());
  const cache = createClient({
    servers: [server.address],
    codec: compressed(jsonCodec<Doc>(), { above: 1024 }),
    timeoutMs: 2000,
  });
  const raw = createClient({ servers: [server.address], timeoutMs: 2000 });
  cleanup(() => cache.close());
  cleanup(() => raw.close());
  return { cache, raw };
}

describe('the codec on every value-carrying command', () => {
  it('add, replace, gets, cas, gat encode and decode', async () => {
    const { cache, raw } = await clients();
    expect(await cache.add({ key: 'a', value: doc(1) })).toEqual({ ok: true, stored: true });
    expect(await cache.add({ key: 'a', value: doc(2) })).toMatchObject({
      ok: true,
      stored: false,
      status: 'exists',
    });
    expect(await cache.replace({ key: 'a', value: doc(4) })).toEqual({ ok: true, stored: true });
    // Stored compressed (bit 8), as the raw client sees it.
    const stored = await raw.get('a');
    expect(stored.ok && stored.item?.flags).toBe(8);

    const gets = await cache.gets('a');
    if (!gets.ok || !gets.item) throw new Error('gets missed');
    expect(gets.item.value).toEqual(doc(4));
    expect(await cache.cas({ key: 'a', value: doc(5), cas: gets.item.cas })).toEqual({ ok: true, stored: true });
    expect(await cache.cas({ key: 'a', value: doc(6), cas: gets.item.cas })).toMatchObject({
      stored: false,
      status: 'exists',
    });
    expect(await cache.gat('a', 100)).toMatchObject({ ok: true, item: { value: doc(5) } });
  });

  it('setMulti encodes each item; getMulti decodes them', async () => {
    const { cache } = await clients();
    const items = [1, 2, 3, 4].map((n) => ({ key: `m${n}`, value: doc(n) }));
    expect(await cache.setMulti(items)).toEqual({ ok: true, failed: [], unavailable: [] });
    const read = await cache.getMulti(items.map((item) => item.key));
    expect(read.ok && Object.fromEntries([...read.items].map(([k, item]) => [k, item.value]))).toEqual(
      Object.fromEntries(items.map((item) => [item.key, item.value])),
    );
  });

  it('a value the codec cannot encode rejects before any I/O, on every command', async () => {
    const { cache } = await clients();
    const bad = { key: 'bad', value: undefined as unknown as Doc };
    await expect(cache.set(bad)).rejects.toBeInstanceOf(InvalidValueError);
    await expect(cache.add(bad)).rejects.toBeInstanceOf(InvalidValueError);
    await expect(cache.replace(bad)).rejects.toBeInstanceOf(InvalidValueError);
    await expect(cache.setMulti([bad])).rejects.toBeInstanceOf(InvalidValueError);
    await expect(cache.set({ key: 'f', value: doc(1), flags: 2 })).rejects.toBeInstanceOf(InvalidFlagsError);
  });

  it('gets and gat answer reason decode for bytes that do not decode; nothing counts', async () => {
    const { cache, raw } = await clients();
    expect(await raw.set({ key: 'broken', value: '{"n":', flags: 0 })).toBe(true);
    for (const answer of [await cache.gets('broken'), await cache.gat('broken', 100), await cache.get('broken')]) {
      expect(answer).toMatchObject({ ok: false, reason: 'decode' });
      expect(!answer.ok && answer.error).toBeInstanceOf(DecodeError);
    }
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(cache.state).toBe('connected');
  });
});
