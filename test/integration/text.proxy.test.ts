import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { textGet } from '../support/memcachedText';
import { type NutcrackerProcess, startNutcracker } from '../support/nutcracker';

// The client with protocol 'text' behind twemproxy (Debian's nutcracker 0.5.0), in front of three
// real memcached, all on loopback. What each command answers through it is docs/proxies.md's table.
let backends: MemcachedProcess[];
let proxy: NutcrackerProcess;
const clients: Client[] = [];
beforeAll(async () => {
  backends = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
  proxy = await startNutcracker({ backends: backends.map((b) => b.address) });
});
afterAll(async () => {
  for (const cache of clients) await cache.close();
  await proxy.stop();
  for (const backend of backends) await backend.stop();
});

function client(allowedFailuresBeforeHealing = 100): Client {
  const cache = createClient({
    servers: proxy.address,
    protocol: 'text',
    timeoutMs: 1500,
    allowedFailuresBeforeHealing,
  });
  clients.push(cache);
  return cache;
}

/** What a call answered (or threw), in a word, and how long it took. */
async function observe(call: () => Promise<unknown>): Promise<{ answer: string; ms: number }> {
  const started = performance.now();
  let answer: string;
  try {
    const result = (await call()) as { ok?: boolean; reason?: string } | boolean | undefined;
    if (typeof result === 'object' && result !== null && 'ok' in result)
      answer = result.ok ? 'ok' : `not-ok ${result.reason}`;
    else answer = `resolved ${typeof result === 'object' ? 'value' : String(result)}`;
  } catch (err) {
    answer = `throws ${(err as { code?: string }).code}`;
  }
  return { answer, ms: performance.now() - started };
}

describe('through twemproxy (nutcracker 0.5.0), protocol text', () => {
  it('each command answers at once: what twemproxy forwards works, what it refuses fails its connection', async () => {
    const cache = client();
    const key = 'proxy:compat';
    const commands: [string, () => Promise<unknown>][] = [
      ['set', () => cache.set({ key, value: '1' })],
      ['get', () => cache.get(key)],
      ['gets', () => cache.gets(key)],
      [
        'cas',
        async () => {
          const read = await cache.gets(key);
          return read.ok && read.item ? cache.cas({ key, value: '2', cas: read.item.cas }) : read;
        },
      ],
      ['add', () => cache.add({ key: `${key}:new`, value: 'a' })],
      ['replace', () => cache.replace({ key, value: '3' })],
      ['append', () => cache.append(key, '4')],
      ['prepend', () => cache.prepend(key, '5')],
      ['incr', () => cache.incr(`${key}:n`, 1, { initial: 10 })],
      ['decr', () => cache.decr(`${key}:n`, 1)],
      ['touch', () => cache.touch(key, 100)],
      ['getMulti', () => cache.getMulti([key, `${key}:new`, `${key}:none`])],
      [
        'setMulti',
        () =>
          cache.setMulti([
            { key: `${key}:m1`, value: 'x' },
            { key: `${key}:m2`, value: 'y' },
          ]),
      ],
      ['deleteMulti', () => cache.deleteMulti([`${key}:m1`, `${key}:m2`])],
      ['delete', () => cache.delete(key)],
      ['version', () => cache.version()],
      ['ping', () => cache.ping()],
      ['fetch', () => cache.fetch(`${key}:f`, () => 'loaded', { ttl: 60 })],
      ['gat', () => cache.gat(key, 100)],
      ['gats', () => cache.gats(key, 100)],
      ['stats', () => cache.stats()],
      ['flush', () => cache.flush()],
    ];
    const seen: Record<string, string> = {};
    for (const [name, call] of commands) {
      const { answer, ms } = await observe(call);
      seen[name] = answer;
      console.log(`twemproxy ${name}: ${answer} (${ms.toFixed(0)} ms)`);
      // Never a hang: well within the call's deadline.
      expect(ms, name).toBeLessThan(1000);
    }
    expect(seen).toEqual({
      ...Object.fromEntries(commands.map(([name]) => [name, 'ok'])),
      set: 'resolved true',
      delete: 'resolved true',
      version: 'resolved value',
      ping: 'resolved undefined',
      fetch: 'resolved value',
      // twemproxy 0.5.0 closes the connection on a command it does not forward: a connection
      // failure of that call (counted), answered at once; the admin commands name the server.
      gat: 'not-ok connection',
      gats: 'not-ok connection',
      stats: 'throws ERR_ADMIN_COMMAND',
      flush: 'throws ERR_ADMIN_COMMAND',
    });
    // The answers are the backends' own, each key on the one twemproxy hashes it to.
    expect(
      await cache.setMulti([
        { key: 'proxy:a', value: 'va' },
        { key: 'proxy:b', value: 'vb' },
      ]),
    ).toMatchObject({
      ok: true,
    });
    const hits = await cache.getMulti(['proxy:a', 'proxy:b', 'proxy:none']);
    expect(hits.ok && [...hits.items.entries()].map(([k, item]) => [k, item?.value.toString()])).toEqual([
      ['proxy:a', 'va'],
      ['proxy:b', 'vb'],
    ]);
    expect(await cache.incr('proxy:n', 5, { initial: 1 })).toMatchObject({ ok: true, value: 1 });
    expect(await cache.incr('proxy:n', 5)).toMatchObject({ ok: true, value: 6 });
    const holders = await Promise.all(backends.map((b) => textGet(b.port, 'proxy:a')));
    expect(holders.filter((held) => held?.value.toString() === 'va')).toHaveLength(1);
  });
});

describe('what twemproxy (nutcracker 0.5.0) does not speak', () => {
  /** Sends `request` on a socket of its own; resolves with what came back before twemproxy closed it. */
  async function untilClosed(request: Buffer | string): Promise<string> {
    const socket = net.connect(proxy.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.write(request);
    // A socket twemproxy leaves open is closed here after a while, and says so.
    const timer = setTimeout(() => {
      answer = 'still open';
      socket.destroy();
    }, 5_000);
    await once(socket, 'close');
    clearTimeout(timer);
    return answer;
  }

  it('the meta commands, the auth probe and the binary protocol: it closes the connection without an answer', async () => {
    const binaryGet = Buffer.alloc(25);
    binaryGet[0] = 0x80; // request magic; opcode 0x00 (GET), key length 1
    binaryGet.writeUInt16BE(1, 2);
    binaryGet.writeUInt32BE(1, 8);
    binaryGet[24] = 0x6b;
    for (const request of ['mg proxy:k v\r\n', 'mn\r\n', binaryGet]) {
      expect(await untilClosed(request)).toBe('');
    }
  });
});
