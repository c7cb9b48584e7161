import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// The pipelined multi-get finds each hit's key by comparing bytes in place (ASCII) or decoding
// (other keys); keys that differ only in how their bytes read must still come back apart.
describe('getMulti against a real memcached', () => {
  let memcached: MemcachedProcess;
  let client: Client;
  beforeAll(async () => {
    memcached = await startMemcached();
    client = createClient({ servers: memcached.address, timeoutMs: 2000 });
  });
  afterAll(async () => {
    await client.close();
    await memcached.stop();
  });

  it('answers every hit under its own key, whatever the keys look like', async () => {
    // 'é' is C3 A9 in UTF-8; 'Ã©' is the two characters U+00C3 U+00A9 (C3 83 C2 A9): the same
    // two numbers as char codes. 'Ã¼' (never stored) is asked for right before 'ü' (C3 BC).
    const stored = ['é', 'Ã©', 'ü', 'plain', 'naïve→', '😀', 'a', 'aa', 'x'.repeat(250)];
    for (const [i, key] of stored.entries()) {
      expect(await client.set({ key, value: `value ${i}`, flags: i })).toBe(true);
    }
    const asked = [
      'missing-1',
      ...stored.flatMap((key) => (key === 'ü' ? ['Ã¼', key] : [key])),
      'missing-2',
      ...stored.slice().reverse(),
      'é',
      'a',
    ];
    const result = await client.getMulti(asked);
    if (!result.ok) throw new Error(`getMulti failed: ${result.reason}`);
    expect([...result.items.keys()].sort()).toEqual([...stored].sort());
    for (const [i, key] of stored.entries()) {
      const item = result.items.get(key);
      expect(item?.value.toString()).toBe(`value ${i}`);
      expect(item?.flags).toBe(i);
    }
  });

  it('agrees with one get per key on a mix of hits and misses', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `mixed:${i}`);
    for (let i = 0; i < keys.length; i += 3) await client.set({ key: keys[i]!, value: Buffer.from([i % 256]) });
    const result = await client.getMulti(keys);
    if (!result.ok) throw new Error(`getMulti failed: ${result.reason}`);
    for (const key of keys) {
      const single = await client.get(key);
      if (!single.ok) throw new Error(`get failed: ${single.reason}`);
      expect(result.items.get(key)?.value).toEqual(single.item?.value);
    }
  });
});
