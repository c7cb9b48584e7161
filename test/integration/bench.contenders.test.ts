import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContender, HEALTHY_CONTENDERS } from '../../bench/contenders';
import { checkSeeded, seed } from '../../bench/healthySuite';
import * as lib from '../../src';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { metaTtl } from '../support/memcachedText';

// The healthy suite's workloads read keys every contender writes in turn: a contender that stores
// with an expiry turns them into misses a minute later, and the rows after that measure misses.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

describe("the bench's contenders", () => {
  it.each(HEALTHY_CONTENDERS)('%s stores without an expiry', async (name) => {
    const contender = createContender(name, lib, server.address);
    try {
      const key = `bench:ttl:${name.replace(/\W+/g, '-')}`;
      await contender.set(key, Buffer.alloc(100, 'v'));
      expect(await metaTtl(server.port, key)).toBe('HD t-1');
    } finally {
      await contender.close();
    }
  });

  it('the healthy suite stops when seeded keys are gone', async () => {
    const reader = createContender('reconnecting-memcached', lib, server.address);
    try {
      await seed(reader);
      await expect(checkSeeded(reader, 'seeding')).resolves.toBeUndefined();
      const other = lib.createClient({ servers: server.address });
      await other.delete('bench:key:7');
      await other.close();
      await expect(checkSeeded(reader, 'get 64')).rejects.toThrow('after get 64, 999 of the 1000 seeded keys');
    } finally {
      await reader.close();
    }
  });
});
