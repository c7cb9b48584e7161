import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { ConnectionError, CredentialsNotRequiredError } from '../../src/core/errors';
import { startAuthFileMemcached } from '../../src/testing/authFileMemcached';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { exposeAll } from '../support/exposeAll';
import { textGet, textStats } from '../support/memcachedText';

// The text protocol's login (memcached -Y) asks with `version` whether the server wants
// credentials before sending them: a server without -Y would store the login `set` as an item
// any client can read.
const USER = 'alice';
const PASSWORD = 'pa:ss@word-text';
const servers: MemcachedProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

describe('credentials over protocol text', () => {
  it('to a memcached without -Y: never sent, nothing stored, calls fail with CredentialsNotRequiredError', async () => {
    const open = await startMemcached();
    servers.push(open);
    const cache = createClient({ servers: [`${USER}:${PASSWORD}@${open.address}`], protocol: 'text', timeoutMs: 1000 });
    const got = await cache.get('k');
    await cache.close();
    expect(got).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CREDENTIALS_NOT_REQUIRED' } });
    const error = (got as { error?: unknown }).error;
    expect(error).toBeInstanceOf(CredentialsNotRequiredError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String((error as Error).message)).toContain(`${open.address} does not require authentication`);
    expect(await textGet(open.port, '_auth')).toBeUndefined();
    const stats = await textStats(open.port);
    expect(stats.cmd_set).toBe(0);
    expect(stats.curr_items).toBe(0);
    expect(exposeAll(got)).not.toContain(PASSWORD);
  });

  it('to a memcached with -Y: the login succeeds and every command runs after it', async () => {
    const guarded = await startAuthFileMemcached(USER, PASSWORD);
    servers.push(guarded);
    const cache = createClient({
      servers: [`${USER}:${PASSWORD}@${guarded.address}`],
      protocol: 'text',
      timeoutMs: 1000,
    });
    const [set, got] = await Promise.all([cache.set({ key: 'k', value: 'v' }), cache.get('k')]);
    expect(set).toBe(true);
    expect(got).toMatchObject({ ok: true, item: { value: Buffer.from('v') } });
    await cache.close();
  });
});
