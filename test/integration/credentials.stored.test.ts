import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { textGet, textKeys } from '../support/memcachedText';
import { PROTOCOL } from '../support/protocol';

// Credentials sent to a memcached that does not check them (started without -S or -Y): whatever
// the client sends to authenticate must not end up stored there, readable by anyone who can reach
// that memcached. The meta protocol authenticates with a text `set`, which such a server stores.

const USER = 'alice';
const PASSWORD = 'Pa55:w@rd-XyZZy-7731';

let server: MemcachedProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe(`credentials (${PROTOCOL}) given to a memcached that does not check them`, () => {
  it('are not stored on it as data', async () => {
    server = await startMemcached();
    const cache = createClient({ servers: [`${USER}:${PASSWORD}@${server.address}`], timeoutMs: 2000 });
    try {
      // Whether such a server answers the calls depends on the protocol; the authentication was sent.
      await cache.set({ key: 'plain', value: 'data' });
      await cache.get('plain');
    } finally {
      await cache.close();
    }
    const keys = await textKeys(server.port);
    const stored: string[] = [];
    for (const key of keys) {
      const item = await textGet(server.port, key);
      if (item !== undefined) stored.push(`${key}=${item.value.toString('latin1')}`);
    }
    const text = stored.join('\n');
    for (const piece of [PASSWORD, ...PASSWORD.split(/[@:]/)]) {
      expect(text.includes(piece), `"${piece}" is stored on the server: ${text}`).toBe(false);
    }
  });
});
