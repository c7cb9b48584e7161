import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServers } from '../../src/config/parseServers';
import type { WireItem } from '../../src/port/MemcachedPort';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { TextPort } from '../../src/text/TextPort';
import { portCommands } from '../support/portCommands';

// What is the text port's own, against a real memcached (the commands' answers are in
// port.commands.test.ts, for every adapter): getMulti's lines, answers paired by order alone,
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

const item = (key: string, value: string): WireItem => ({ key, value: Buffer.from(value), flags: 0, expiration: 0 });

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
  it('a getMulti of 1,000 keys of 200 bytes goes as get lines of at most 2048 bytes, and answers every hit', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `${i}-`.padEnd(200, 'k'));
    expect(
      await portCommands(port).setMulti(keys.filter((_, i) => i % 3 === 0).map((key) => item(key, `v${key.length}`))),
    ).toEqual([]);
    const hits = await portCommands(port).getMulti(keys);
    expect([...hits.keys()]).toEqual(keys.filter((_, i) => i % 3 === 0));
    const { getMultiBatch } = await import('../../src/text/textBatches');
    const lines = String(getMultiBatch(keys).bytes).split('\r\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length + 2).toBeLessThanOrEqual(2048);
    expect(lines.flatMap((line) => line.split(' ').slice(1))).toEqual(keys);
  });

  it('answers are paired by order alone: a thousand mixed calls of one tick each get their own answer', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `p${i}`);
    const calls = keys.flatMap((key, i) => [
      port.set(key, Buffer.from(`v-${key}`), i, 0),
      port.get(key),
      portCommands(port).delete(`${key}-absent`),
      portCommands(port).touch(key, 100),
    ]);
    const answers = await Promise.all(calls);
    keys.forEach((key, i) => {
      const [set, got, deleted, touched] = answers.slice(4 * i, 4 * i + 4);
      expect(set).toBeUndefined();
      expect(got).toEqual({ key, value: Buffer.from(`v-${key}`), flags: i });
      expect(deleted).toBe(false);
      expect(touched).toBe(true);
    });
  });

  it('a counter with an initial value is created by add, then counts; without one an absent key stays absent', async () => {
    expect(await portCommands(port).counter('incr', 'c-none', 5n, undefined, 0)).toBeUndefined();
    expect(await raw('get c-none\r\n')).toBe('END\r\n');
    expect(await portCommands(port).counter('incr', 'c1', 5n, 10n, 0)).toBe(10n);
    expect(await portCommands(port).counter('incr', 'c1', 5n, 10n, 0)).toBe(15n);
    expect(await portCommands(port).counter('decr', 'c1', 20n, 10n, 0)).toBe(0n);
    // memcached keeps a counter that shrank at its length, padded with a space.
    expect(await raw('get c1\r\n')).toBe('VALUE c1 0 2\r\n0 \r\nEND\r\n');
  });

  it('after close(), calls reject with a ConnectionError and nothing reconnects', async () => {
    const own = new TextPort(parseServers([server.address])[0]!, { connectTimeoutMs: 500 });
    const pending = own.get('x');
    own.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
    await expect(own.get('x')).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
  });
});
