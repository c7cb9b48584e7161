import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { compressed } from '../../src/codec/compressed';
import { pymemcacheCodec } from '../../src/codec/pymemcacheCodec';
import { DecodeError, UnsupportedFlagsError } from '../../src/core/errors';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { type PyPacked, python } from '../support/python';

// Debian's pymemcache and pylibmc (run with /usr/bin/python3) and this client on one real memcached.
const cleanup = afterEachCleanup();

async function server(): Promise<string> {
  const memcached = await startMemcached();
  cleanup(() => memcached.stop());
  return memcached.address;
}

function pythonClient(address: string) {
  const cache = createClient({
    servers: [address],
    codec: compressed(pymemcacheCodec(), { above: 1024 }),
    timeoutMs: 2000,
  });
  cleanup(() => cache.close());
  return cache;
}

/** The 200 KB text interop.py writes: hex MD5 digests of 0..6399, about half compressible. */
const BIG = Array.from({ length: 6400 }, (_, i) => createHash('md5').update(String(i)).digest('hex')).join('');
const TEXT = 'héllo wörld, 日本語 ✓';
const INTEGER = 1234567890123;

describe.each(['pymemcache', 'pylibmc'] as const)('%s and this client share values', (client) => {
  it('Python writes text, an integer and a compressed 200 KB value; this client reads each equal', async () => {
    const servers = [await server()];
    await python({
      op: 'write',
      client,
      servers,
      items: { text: { type: 'str', value: TEXT }, int: { type: 'int', value: String(INTEGER) }, big: 'big-text' },
    });
    const cache = pythonClient(servers[0]!);
    const text = await cache.get('text');
    const int = await cache.get('int');
    const big = await cache.get('big');
    expect(text).toMatchObject({ ok: true, item: { value: TEXT, flags: 16 } });
    // pymemcache writes ints with FLAG_INTEGER (2), pylibmc with FLAG_LONG (4).
    expect(int).toMatchObject({ ok: true, item: { value: INTEGER, flags: client === 'pylibmc' ? 4 : 2 } });
    expect(big.ok && big.item?.flags).toBe(16 | 8); // text, compressed by Python
    expect(big.ok && big.item?.value).toBe(BIG);
  });

  it('this client writes the same with its codecs; Python reads each equal', async () => {
    const servers = [await server()];
    const cache = pythonClient(servers[0]!);
    const bytes = Buffer.from([0, 1, 0xfe, 0xff, 13, 10]);
    const huge = 2n ** 70n + 1n;
    for (const [key, value] of [
      ['text', TEXT],
      ['int', INTEGER],
      ['huge', huge],
      ['bytes', bytes],
      ['big', BIG],
    ] as const) {
      expect(await cache.set({ key, value })).toBe(true);
    }
    const read = await python<Record<string, PyPacked>>({
      op: 'read',
      client,
      servers,
      keys: ['text', 'int', 'huge', 'bytes', 'big'],
    });
    expect(read).toEqual({
      text: { type: 'str', value: TEXT },
      int: { type: 'int', value: String(INTEGER) },
      huge: { type: 'int', value: huge.toString() },
      bytes: { type: 'bytes', value: bytes.toString('hex') },
      big: { type: 'str', value: BIG },
    });
  });
});

describe.each(['pymemcache', 'pylibmc'] as const)('%s and this client share a counter', (client) => {
  it('both incr one counter, and both read it', async () => {
    const servers = [await server()];
    const cache = pythonClient(servers[0]!);
    expect(await cache.set({ key: 'counter', value: 10 })).toBe(true); // "10", FLAG_INTEGER
    expect(await python<number>({ op: 'incr', client, servers, key: 'counter', delta: 5 })).toBe(15);
    expect(await cache.incr('counter', 2)).toEqual({ ok: true, value: 17 });
    expect(await python<number>({ op: 'incr', client, servers, key: 'counter', delta: 3 })).toBe(20);
    expect(await cache.get('counter')).toMatchObject({ ok: true, item: { value: 20 } });
    const read = await python<Record<string, PyPacked>>({ op: 'read', client, servers, keys: ['counter'] });
    expect(read.counter).toEqual({ type: 'int', value: '20' });
  });
});

describe('a value that does not decode', () => {
  it('corrupt bytes under the compression flag answer reason decode; the connection stays healthy', async () => {
    const address = await server();
    const raw = createClient({ servers: [address], timeoutMs: 2000 });
    cleanup(() => raw.close());
    expect(await raw.set({ key: 'corrupt', value: 'these bytes are not zlib', flags: 8 | 16 })).toBe(true);
    expect(await raw.set({ key: 'fine', value: 'ok', flags: 16 })).toBe(true);
    const cache = pythonClient(address);

    const answer = await cache.get('corrupt');
    expect(answer).toMatchObject({ ok: false, reason: 'decode' });
    const error = !answer.ok ? answer.error : undefined;
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'ERR_DECODE', key: 'corrupt', flags: 24 });
    expect((error as DecodeError).cause).toBeInstanceOf(Error);

    const many = await cache.getMulti(['corrupt', 'fine', 'absent']);
    expect(many.ok).toBe(true);
    if (!many.ok) return;
    expect([...many.items.keys()]).toEqual(['fine']);
    expect(many.unavailable).toEqual(['corrupt']);
    expect(many.decodeErrors?.get('corrupt')).toBeInstanceOf(DecodeError);

    // Nothing counted: the connection is as healthy as before, and the next read works.
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(await cache.get('fine')).toMatchObject({ ok: true, item: { value: 'ok' } });
  });

  it('a pickled Python object answers reason decode with UnsupportedFlagsError, never a crash', async () => {
    const servers = [await server()];
    await python({ op: 'write-pickle', client: 'pymemcache', servers, key: 'pickled' });
    const answer = await pythonClient(servers[0]!).get('pickled');
    expect(answer).toMatchObject({ ok: false, reason: 'decode', error: { flags: 1 } });
    expect(!answer.ok && (answer.error?.cause as Error)).toBeInstanceOf(UnsupportedFlagsError);
  });
});
