import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/client/createClient';

// The requests fetch and a plain read put on the wire over meta (docs/meta-protocol.md), not only
// what they answer: a fake memcached on loopback records each request and answers it from a script
// (with the request's opaque, as memcached does).
type Script = (request: string) => string;

class RecordingServer {
  readonly requests: string[] = [];
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  constructor(script: Script) {
    this.#server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          const end = pending.indexOf('\r\n');
          if (end < 0) return;
          const line = pending.toString('latin1', 0, end);
          // A store's value follows its header: `ms <key> <size> ...`.
          const size = line.startsWith('ms ') ? Number(line.split(' ')[2]) + 2 : 0;
          if (pending.length < end + 2 + size) return;
          const value = pending.toString('latin1', end + 2, end + size);
          pending = pending.subarray(end + 2 + size);
          const request = value.length > 0 ? `${line} ${value}` : line;
          this.requests.push(request);
          socket.write(withOpaque(script(request), line));
        }
      });
    });
  }

  async listen(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.close();
    await once(this.#server, 'close');
  }
}

/** memcached returns a meta request's opaque on every answer but an error line or MN. */
function withOpaque(answer: string, request: string): string {
  const opaque = / (O\d+)/.exec(request)?.[1];
  const end = answer.indexOf('\r\n');
  if (opaque === undefined || !/^(VA|HD|EN|NF|NS|EX)\b/.test(answer) || / O\d/.test(answer.slice(0, end))) {
    return answer;
  }
  return `${answer.slice(0, end)} ${opaque}${answer.slice(end)}`;
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function setup(script: Script) {
  const server = new RecordingServer(script);
  const address = await server.listen();
  cleanup.push(() => server.close());
  const cache = createClient({ servers: address, protocol: 'meta', keyPrefix: 'app:', timeoutMs: 2000 });
  cleanup.push(() => cache.close());
  return { server, cache };
}

/** memcached's answers to what these tests send: fetch's read misses and its placeholder is added (CAS 42). */
const memcached: Script = (request) => {
  if (request.startsWith('mg ') && / v f c\b/.test(request)) return 'EN\r\n';
  if (request.startsWith('mg ')) return 'VA 3 f0 X W\r\nold\r\n'; // a stale item, its refresh won
  if (request.startsWith('ms ') && / ME c\b/.test(request)) return 'HD c42\r\n';
  if (request.startsWith('ms ')) return 'HD\r\n';
  if (request.startsWith('md ')) return / q\b/.test(request) ? '' : 'HD\r\n';
  if (request === 'mn') return 'MN\r\n';
  return 'ERROR\r\n';
};

describe('fetch over meta: the requests on the wire', () => {
  it('a cold fetch adds its placeholder (flags 4294967295, T<leaseTtl>: 30 by default) and stores with its CAS', async () => {
    const { server, cache } = await setup(memcached);
    expect((await cache.fetch('user:1', () => 'fresh', { ttl: 60 })).toString()).toBe('fresh');
    expect(server.requests).toEqual([
      'mg app:user:1 v f c O0',
      'ms app:user:1 0 F4294967295 T30 ME c O1',
      'ms app:user:1 5 F0 T60 C42 O2 fresh',
    ]);
  });

  it("leaseTtl is the placeholder's T, apart from timeoutMs; recacheBefore and staleTtl make the R flag", async () => {
    const { server, cache } = await setup(memcached);
    const options = { ttl: 60, leaseTtl: 7, timeoutMs: 250, staleTtl: 5, recacheBefore: 2 };
    await cache.fetch('k', () => 'v', options);
    expect(server.requests).toEqual([
      'mg app:k v f c R8 O0',
      'ms app:k 0 F4294967295 T7 ME c O1',
      'ms app:k 1 F0 T65 C42 O2 v',
    ]);
  });

  it('a loader that throws gives the placeholder back: md with the CAS it won', async () => {
    const { server, cache } = await setup(memcached);
    await expect(cache.fetch('k', () => Promise.reject(new Error('down')), { ttl: 60 })).rejects.toThrow('down');
    await expect
      .poll(() => server.requests)
      .toEqual(['mg app:k v f c O0', 'ms app:k 0 F4294967295 T30 ME c O1', 'md app:k C42 O2']);
  });

  it("an add refused (another caller's placeholder came first) reads again, and waits for that caller's value", async () => {
    let reads = 0;
    const { server, cache } = await setup((request) => {
      if (request.startsWith('mg ')) {
        reads++;
        if (reads === 1) return 'EN\r\n';
        // The other caller's placeholder (no lease flag: nobody won it since), then its value.
        return reads === 2 ? 'VA 0 f4294967295 c7\r\n\r\n' : 'VA 6 f0 c8\r\ntheirs\r\n';
      }
      return request.startsWith('ms ') ? 'NS\r\n' : memcached(request);
    });
    let loads = 0;
    const value = await cache.fetch('k', () => `mine-${++loads}`, { ttl: 60 });
    expect(value.toString()).toBe('theirs');
    expect(loads).toBe(0);
    expect(server.requests.slice(0, 3)).toEqual([
      'mg app:k v f c O0',
      'ms app:k 0 F4294967295 T30 ME c O1',
      'mg app:k v f c O2',
    ]);
  });
});

describe('a plain read over meta handed the refresh of a stale item (W)', () => {
  it('gives it back (md I q, then mn) before it answers the stale value', async () => {
    const { server, cache } = await setup(memcached);
    const got = await cache.get('k');
    expect(got).toMatchObject({ ok: true, item: { value: Buffer.from('old') } });
    expect(server.requests).toEqual(['mg app:k v f O0', 'md app:k I q O1', 'mn']);
  });

  it('getMulti gives back the refresh of each key that won one', async () => {
    const { server, cache } = await setup((request) =>
      request.startsWith('mg app:a ') ? 'VA 1 f0 X W O0\r\na\r\n' : memcached(request),
    );
    const got = await cache.getMulti(['a']);
    expect(got).toMatchObject({ ok: true });
    expect(server.requests).toEqual(['mg app:a v f q O0', 'mn', 'md app:a I q O1', 'mn']);
  });
});
