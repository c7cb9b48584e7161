import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServers } from '../../src/config/parseServers';
import { MetaPort } from '../../src/meta/MetaPort';
import type { WireItem } from '../../src/port/MemcachedPort';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { portCommands } from '../support/portCommands';

// What is the meta port's own, against a real memcached (the commands' answers are in
// port.commands.test.ts, for both adapters): quiet batches matched by opaque and by order, pipelining,
// close.
let server: MemcachedProcess;
let port: MetaPort;
beforeAll(async () => {
  server = await startMemcached();
  port = new MetaPort(parseServers([server.address])[0]!, { connectTimeoutMs: 2000 });
});
afterAll(async () => {
  port.close();
  await server.stop();
});

const item = (key: string, value: string | Buffer, flags = 0, expiration = 0): WireItem => ({
  key,
  value: typeof value === 'string' ? Buffer.from(value) : value,
  flags,
  expiration,
});

describe('MetaPort against a real memcached', () => {
  it('multi-key commands in one quiet batch each: hits, refused keys by name, deletes', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 1); // over memcached's 1 MB item limit
    const refused = await portCommands(port).setMulti([
      item('s1', 'one', 1),
      item('s-huge', huge),
      item('s2', Buffer.alloc(600, 2)),
      item('s3', 'three', 3),
      item('s-huge2', huge),
    ]);
    expect(refused.sort()).toEqual(['s-huge', 's-huge2']);
    const hits = await portCommands(port).getMulti(['s1', 's-huge', 's2', 's3', 's-none']);
    expect([...hits.keys()].sort()).toEqual(['s1', 's2', 's3']);
    expect(hits.get('s3')).toEqual({ key: 's3', value: Buffer.from('three'), flags: 3 });
    await portCommands(port).deleteMulti(['s1', 's2', 's-none']);
    expect([...(await portCommands(port).getMulti(['s1', 's2', 's3'])).keys()]).toEqual(['s3']);
  });

  it('pipelines: a thousand calls of one tick all answer, each its own', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    await Promise.all(keys.map((key) => port.set(key, Buffer.from(`v-${key}`), 0, 0)));
    const got = await Promise.all(keys.map((key) => port.get(key)));
    expect(got.map((g) => g?.value.toString())).toEqual(keys.map((key) => `v-${key}`));
  });

  it('a set with flags 0 and expiration 0 leaves them unsaid, and replaces an item with both', async () => {
    await port.set('unsaid', Buffer.from('old'), 7, 100);
    await port.set('unsaid', Buffer.from('new'), 0, 0);
    // What memcached holds, asked on a socket of the test's own: no TTL (-1) and flags 0.
    const [host, p] = server.address.split(':');
    const socket = net.connect(Number(p), host);
    socket.end('mg unsaid t f v\r\n');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    await once(socket, 'end');
    expect(answer).toBe('VA 3 t-1 f0\r\nnew\r\n');
  });

  it('after close(), calls reject with a ConnectionError and nothing reconnects', async () => {
    const own = new MetaPort(parseServers([server.address])[0]!, { connectTimeoutMs: 500 });
    const pending = own.get('x');
    own.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
    await expect(own.get('x')).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
  });
});
