import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServers } from '../../src/config/parseServers';
import type { WireItem } from '../../src/port/MemcachedPort';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { TextPort } from '../../src/text/TextPort';

// What is the text port's own, against a real memcached (the commands' answers are in
// port.commands.test.ts, for every adapter): getMulti's lines, pipelined batches paired by order,
// counters created by add, close.
let server: MemcachedProcess;
let port: TextPort;
beforeAll(async () => {
  server = await startMemcached({ args: ['-B', 'ascii'] });
  port = new TextPort(parseServers([server.address])[0]!, { connectTimeoutMs: 2000 });
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

/** What memcached receives and answers on a socket of the test's own. */
async function raw(request: string): Promise<string> {
  const [host, p] = server.address.split(':');
  const socket = net.connect(Number(p), host);
  socket.end(request);
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString('latin1');
  });
  await once(socket, 'end');
  return answer;
}

describe('TextPort against a real memcached', () => {
  it('multi-key commands pipelined: hits, refused keys by name, deletes', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 1); // over memcached's 1 MB item limit
    const refused = await port.setMulti([
      item('s1', 'one', 1),
      item('s-huge', huge),
      item('s2', Buffer.alloc(600, 2)),
      item('s3', 'three', 3),
      item('s-huge2', huge),
    ]);
    expect(refused.sort()).toEqual(['s-huge', 's-huge2']);
    const hits = await port.getMulti(['s1', 's-huge', 's2', 's3', 's-none']);
    expect([...hits.keys()].sort()).toEqual(['s1', 's2', 's3']);
    expect(hits.get('s3')).toEqual({ key: 's3', value: Buffer.from('three'), flags: 3 });
    await port.deleteMulti(['s1', 's2', 's-none']);
    expect([...(await port.getMulti(['s1', 's2', 's3'])).keys()]).toEqual(['s3']);
  });

  it('a getMulti of 1,000 keys of 200 bytes goes as get lines of at most 2048 bytes, and answers every hit', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `${i}-`.padEnd(200, 'k'));
    expect(await port.setMulti(keys.filter((_, i) => i % 3 === 0).map((key) => item(key, `v${key.length}`)))).toEqual(
      [],
    );
    const hits = await port.getMulti(keys);
    expect([...hits.keys()]).toEqual(keys.filter((_, i) => i % 3 === 0));
    const { getMultiBatch } = await import('../../src/text/textBatches');
    const lines = String(getMultiBatch(keys).bytes).split('\r\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length + 2).toBeLessThanOrEqual(2048);
    expect(lines.flatMap((line) => line.split(' ').slice(1))).toEqual(keys);
  });

  it('pipelines: a thousand calls of one tick all answer, each its own', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    await Promise.all(keys.map((key) => port.set(key, Buffer.from(`v-${key}`), 0, 0)));
    const got = await Promise.all(keys.map((key) => port.get(key)));
    expect(got.map((g) => g?.value.toString())).toEqual(keys.map((key) => `v-${key}`));
  });

  it('a counter with an initial value is created by add, then counts; without one an absent key stays absent', async () => {
    expect(await port.counter('incr', 'c-none', 5n, undefined, 0)).toBeUndefined();
    expect(await raw('get c-none\r\n')).toBe('END\r\n');
    expect(await port.counter('incr', 'c1', 5n, 10n, 0)).toBe(10n);
    expect(await port.counter('incr', 'c1', 5n, 10n, 0)).toBe(15n);
    expect(await port.counter('decr', 'c1', 20n, 10n, 0)).toBe(0n);
    // memcached keeps a counter that shrank at its length, padded with a space.
    expect(await raw('get c1\r\n')).toBe('VALUE c1 0 2\r\n0 \r\nEND\r\n');
  });

  it('gets, cas, gat and touch as memcached answers them', async () => {
    await port.set('g', Buffer.from('one'), 4, 0);
    const got = await port.gets('g');
    expect(got).toMatchObject({ key: 'g', flags: 4, value: Buffer.from('one') });
    expect(await port.cas(item('g', 'two', 5), got!.cas)).toBe('stored');
    expect(await port.cas(item('g', 'three', 5), got!.cas)).toBe('exists');
    expect(await port.cas(item('g-none', 'x'), 1n)).toBe('not_found');
    expect(await port.gat('g', 100)).toMatchObject({ value: Buffer.from('two'), flags: 5 });
    expect(await port.touch('g', 200)).toBe(true);
    expect(await port.touch('g-none', 200)).toBe(false);
    expect(await port.store('add', item('g', 'x'))).toBe('exists');
    expect(await port.store('replace', item('g-none', 'x'))).toBe('not_found');
    expect(await port.concat('append', 'g-none', Buffer.from('x'))).toBe('not_stored');
  });

  it('after close(), calls reject with a ConnectionError and nothing reconnects', async () => {
    const own = new TextPort(parseServers([server.address])[0]!, { connectTimeoutMs: 500 });
    const pending = own.get('x');
    own.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
    await expect(own.get('x')).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
  });
});
