import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { parseServers } from '../../src/config/parseServers';
import { ConnectionError } from '../../src/core/errors';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { TextPort } from '../../src/text/TextPort';
import { portCommands } from '../support/portCommands';
import { ScriptedMeta, type ScriptedRequest } from '../support/ScriptedMeta';

// The text port's single-key gets of one tick go as one `get k1 k2 ...` line (src/text/GetBatch.ts):
// what a server receives, and what each caller gets back.
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A scripted text server that records every line and answers each `get` line as `answer` says. */
async function scripted(answer: (keys: string[], request: ScriptedRequest) => void) {
  const lines: string[] = [];
  const fake = await ScriptedMeta.start((request) => {
    lines.push(request.line);
    answer(request.line.split(' ').slice(1), request);
  });
  cleanup.push(() => fake.close());
  return { fake, lines };
}

/** memcached's answer: each key's value is `v-<key>` but for keys starting `miss`. */
function memcachedLike(keys: string[], request: ScriptedRequest): void {
  let out = '';
  for (const key of keys) if (!key.startsWith('miss')) out += `VALUE ${key} 0 ${key.length + 2}\r\nv-${key}\r\n`;
  request.write(`${out}END\r\n`);
}

function portOf(address: string): TextPort {
  const port = new TextPort(parseServers([address])[0]!, { connectTimeoutMs: 2000 });
  cleanup.push(() => port.close());
  return port;
}

function clientOf(address: string): Client {
  const cache = createClient({ servers: address, protocol: 'text', timeoutMs: 2000 });
  cleanup.push(() => cache.close());
  return cache;
}

describe('text gets of one tick share one get line', () => {
  it('the gets made in one tick are one line, duplicates included, each caller answered its own', async () => {
    const { fake, lines } = await scripted(memcachedLike);
    const port = portOf(fake.address);
    const keys = ['a', 'miss1', 'b', 'a', 'c', 'miss2', 'b'];
    const items = await Promise.all(keys.map((key) => port.get(key)));
    expect(lines).toEqual(['get a miss1 b a c miss2 b']);
    expect(items.map((item) => item?.value.toString())).toEqual([
      'v-a',
      undefined,
      'v-b',
      'v-a',
      'v-c',
      undefined,
      'v-b',
    ]);
  });

  it("a tick's gets share one line, its first too: the line leaves at the tick's end", async () => {
    const { fake, lines } = await scripted(memcachedLike);
    const port = portOf(fake.address);
    expect((await port.get('warm'))?.value.toString()).toBe('v-warm');
    const items = await Promise.all(['a', 'b', 'c'].map((key) => port.get(key)));
    expect(lines).toEqual(['get warm', 'get a b c']);
    expect(items.map((item) => item?.value.toString())).toEqual(['v-a', 'v-b', 'v-c']);
  });

  it("a line holds at most memcached's 2048 bytes: more keys go on the next lines, in order", async () => {
    const { fake, lines } = await scripted(memcachedLike);
    const port = portOf(fake.address);
    const keys = Array.from({ length: 25 }, (_, i) => `${i}-`.padEnd(200, 'k'));
    const items = await Promise.all(keys.map((key) => port.get(key)));
    expect(lines.length).toBe(3);
    for (const line of lines) expect(line.length + 2).toBeLessThanOrEqual(2048);
    expect(lines.flatMap((line) => line.split(' ').slice(1))).toEqual(keys);
    expect(items.map((item) => item?.value.toString())).toEqual(keys.map((key) => `v-${key}`));
  });

  it('another request made between gets of one tick closes their line: it goes after it, and the next gets on a new line', async () => {
    const { fake, lines } = await scripted((keys, request) => {
      if (request.line.startsWith('get ')) memcachedLike(keys, request);
      else request.write('DELETED\r\n');
    });
    const port = portOf(fake.address);
    const [a, deleted, b] = await Promise.all([port.get('a'), portCommands(port).delete('x'), port.get('b')]);
    expect(lines).toEqual(['get a', 'delete x', 'get b']);
    expect([a?.value.toString(), deleted, b?.value.toString()]).toEqual(['v-a', true, 'v-b']);
  });

  it('a VALUE for a key the line did not ask for fails the connection, and every caller on it', async () => {
    const { fake } = await scripted((_keys, request) => request.write('VALUE zz 0 1\r\nx\r\nEND\r\n'));
    const port = portOf(fake.address);
    const answers = await Promise.allSettled(['a', 'b', 'c'].map((key) => port.get(key)));
    for (const answer of answers) {
      expect(answer.status).toBe('rejected');
      expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionError);
    }
  });

  it('a caller that gives up (its own deadline) leaves the others of its line their answers', async () => {
    let release: () => void = () => {};
    const { fake, lines } = await scripted((keys, request) => {
      release = () => memcachedLike(keys, request);
    });
    const cache = clientOf(fake.address);
    const calls = [cache.get('a'), cache.get('slow', { timeoutMs: 20 }), cache.get('b')];
    const gaveUp = await calls[1]!;
    expect(gaveUp).toMatchObject({ ok: false, reason: 'timeout' });
    expect(lines).toEqual(['get a slow b']);
    release();
    const [a, , b] = await Promise.all(calls);
    expect([a, b]).toMatchObject([
      { ok: true, item: { value: Buffer.from('v-a') } },
      { ok: true, item: { value: Buffer.from('v-b') } },
    ]);
  });
});

describe('text gets of one tick against a real memcached', () => {
  let server: MemcachedProcess;
  afterEach(async () => server?.stop());

  it('hits, misses and duplicate keys in one tick each answer their caller', async () => {
    server = await startMemcached();
    const port = portOf(server.address);
    for (const key of ['r:a', 'r:b']) await port.set(key, Buffer.from(`v-${key}`), 0, 0);
    const keys = ['r:a', 'r:miss', 'r:b', 'r:a', 'r:b', 'r:a', 'r:miss'];
    const items = await Promise.all(keys.map((key) => port.get(key)));
    expect(items.map((item) => item?.value.toString())).toEqual(
      keys.map((key) => (key === 'r:miss' ? undefined : `v-${key}`)),
    );
  });
});
