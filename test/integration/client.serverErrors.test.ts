import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';

// memcached refusing a request says nothing about the link: with a limit of 1, a single counted
// failure would start healing. Our own ServerError carries a string `code` ('ERR_SERVER'), which
// classifyError must not take for a Node system error, or every refusal counts as an outage.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

test('a value too large is not-ok but does not start healing', async () => {
  const cache = createClient({ servers: server.address, allowedFailuresBeforeHealing: 1, timeoutMs: 2_000 });
  try {
    const changes: string[] = [];
    cache.subscribe((change) => changes.push(change.state));
    // memcached's default item size limit is 1 MiB.
    expect(await cache.set({ key: 'big', value: Buffer.alloc(2 * 1024 * 1024) })).toBe(false);
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(changes).toEqual([]);
    expect(await cache.set({ key: 'small', value: 'v' })).toBe(true);
    const got = await cache.get('small');
    expect(got.ok && got.item?.value.toString()).toBe('v');
  } finally {
    await cache.close();
  }
});

describe('a refused set is told to the logger', () => {
  let small: MemcachedProcess;
  beforeAll(async () => {
    // A 2 KiB item size limit (memcached wants slab chunks no larger than it).
    small = await startMemcached({ args: ['-I', '2k', '-o', 'slab_chunk_max=1024'] });
  });
  afterAll(async () => {
    await small?.stop();
  });

  test('at warn, with the key and memcached’s reason, never the value; a set to a closed client says nothing', async () => {
    const logged: { level: string; line: string }[] = [];
    const at =
      (level: string) =>
      (message: string, ...meta: unknown[]) =>
        logged.push({ level, line: [message, ...meta.map(String)].join(' ') });
    const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
    const cache = createClient({ servers: small.address, timeoutMs: 2_000, keyPrefix: 'app:', logger });
    try {
      const value = 'secret-value:'.repeat(400);
      expect(await cache.set({ key: 'too-big', value })).toBe(false);
      expect(logged).toHaveLength(1);
      expect(logged[0]!.level).toBe('warn');
      expect(logged[0]!.line).toContain('"too-big"');
      expect(logged[0]!.line).toMatch(/too large/i);
      expect(logged[0]!.line).not.toContain('secret-value');
      // What memcached stores it answers without a word; add tells the reason in its answer.
      expect(await cache.set({ key: 'fits', value: 'v' })).toBe(true);
      const added = await cache.add({ key: 'too-big', value });
      expect(added).toMatchObject({ ok: false, reason: 'server', error: { code: 'ERR_SERVER' } });
      expect(!added.ok && added.error?.message).toMatch(/too large/i);
      // setMulti answers the refused keys themselves.
      const many = await cache.setMulti([
        { key: 'too-big', value },
        { key: 'fits', value: 'w' },
      ]);
      expect(many).toEqual({ ok: true, failed: ['too-big'], unavailable: [] });
      expect(logged).toHaveLength(1);
    } finally {
      await cache.close();
    }
    expect(await cache.set({ key: 'after-close', value: 'v' })).toBe(false);
    expect(logged).toHaveLength(1);
  });
});
