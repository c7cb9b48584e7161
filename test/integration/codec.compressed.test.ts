import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { compressed } from '../../src/codec/compressed';
import { rawCodec } from '../../src/codec/rawCodec';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';

const cleanup = afterEachCleanup();

describe('compressed() against a real memcached (1 MB item limit)', () => {
  it('a value still over the item size once compressed answers set false with reason server, counting nothing', async () => {
    const server = await startMemcached();
    cleanup(() => server.stop());
    const cache = createClient({
      servers: [server.address],
      codec: compressed(rawCodec, { above: 1024 }),
      timeoutMs: 2000,
    });
    cleanup(() => cache.close());
    const failures: unknown[] = [];
    cache.subscribe((change) => failures.push(change));

    // Random bytes do not compress: stored as they are, 1.5 MB, which memcached refuses.
    expect(await cache.set({ key: 'huge', value: randomBytes(1_500_000) })).toBe(false);
    // 3 MB of one byte compresses to a few KB (on zlib's thread pool) and is stored.
    const roomy = Buffer.alloc(3_000_000, 7);
    expect(await cache.set({ key: 'roomy', value: roomy })).toBe(true);
    const read = await cache.get('roomy');
    expect(read.ok && read.item?.flags).toBe(8);
    expect(read.ok && read.item?.value.equals(roomy)).toBe(true);

    expect(failures).toEqual([]);
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
  });
});
