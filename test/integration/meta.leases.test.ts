import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';

// Over meta memcached hands a `gets` the refresh of a stale item too (W). The meta adapter keeps it
// there, unlike a plain read's: giving it back would change the CAS, and the `cas` after it would
// always fail. Meta only: binary has no stale items.
const cleanup = afterEachCleanup();

describe('gets (meta) of an invalidated key', () => {
  it('answers a CAS that the cas after it can store with: the stale value is replaced', async () => {
    const server = await startMemcached();
    cleanup(() => server.stop());
    const cache = createClient({ servers: server.address, timeoutMs: 1000, protocol: 'meta' });
    cleanup(() => cache.close());
    await cache.fetch('rmw', () => 'old', { ttl: 60 });
    await cache.invalidate('rmw', { staleTtl: 30 });
    const read = await cache.gets('rmw');
    if (!read.ok || read.item === undefined) throw new Error(`gets answered ${JSON.stringify(read)}`);
    expect(read.item.value.toString()).toBe('old');
    expect(await cache.cas({ key: 'rmw', value: 'new', cas: read.item.cas, expiration: 60 })).toEqual({
      ok: true,
      stored: true,
    });
    expect((await cache.fetch('rmw', () => 'loaded', { ttl: 60 })).toString()).toBe('new');
  });
});
