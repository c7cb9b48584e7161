import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { writeInTicks } from '../../../src/memjs/writeInTicks';
import { EARLY_REQUESTS, type TickWriter } from '../../../src/transport/TickWriter';

/** A connected memjs Server whose socket records its writes; `sock` records what waited for it. */
function server() {
  const writes: Buffer[] = [];
  let corked = 0;
  const socket = {
    writable: true,
    write: (b: Buffer) => writes.push(Buffer.from(b)) > 0,
    cork: () => {
      corked++;
    },
    uncork: () => {},
  } as unknown as Socket;
  const held: ((socket: Socket) => void)[] = [];
  const s = {
    _socket: socket as Socket | undefined,
    connected: true,
    write(_request: Buffer) {},
    writer: () => undefined as TickWriter | undefined,
    // The requests awaiting answers: set by a test, as the adapter's InFlight would count them.
    inFlight: { size: 0 },
    sock(_sasl: boolean, go: (socket: Socket) => void) {
      held.push(go);
    },
  };
  writeInTicks(s);
  return { s, socket, writes, held, corked: () => corked };
}

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
const req = (text: string) => Buffer.from(text);

describe('writeInTicks: the requests of one tick leave in one write', () => {
  it('writes a lone request at once', () => {
    const { s, writes } = server();
    s.write(req('a'));
    expect(writes.map(String)).toEqual(['a']);
  });

  it("joins the rest of a busy tick into one buffer, and the next busy tick's from its first request", async () => {
    const { s, writes } = server();
    s.write(req('a'));
    s.write(req('b'));
    s.write(req('c'));
    expect(writes.map(String)).toEqual(['a']);
    await tick();
    expect(writes.map(String)).toEqual(['a', 'bc']);
    // The last tick made several: this one waits from its first request on.
    s.write(req('d'));
    s.write(req('e'));
    expect(writes.map(String)).toEqual(['a', 'bc']);
    await tick();
    expect(writes.map(String)).toEqual(['a', 'bc', 'de']);
    // A tick of one after that: busy still (the last made several), then quiet again.
    s.write(req('f'));
    await tick();
    s.write(req('g'));
    expect(writes.map(String)).toEqual(['a', 'bc', 'de', 'f', 'g']);
  });

  it('writes a large request as it is (corked with the rest), not copied into a joined buffer', async () => {
    const { s, writes, corked } = server();
    const large = Buffer.alloc(64 * 1024, 1);
    s.write(req('a'));
    s.write(req('b'));
    s.write(large);
    await tick();
    expect(corked()).toBe(1);
    expect(writes.map((w) => w.length)).toEqual([1, 1, large.length]);
  });

  it("drops what waited for a socket that failed within the tick: those requests' exchanges failed with it", async () => {
    const { s, socket, writes } = server();
    s.write(req('a'));
    s.write(req('b'));
    // What memjs's error() does to a socket it retires: destroyed (no longer writable), forgotten.
    (socket as { writable: boolean }).writable = false;
    s._socket = undefined;
    s.connected = false;
    await tick();
    expect(writes.map(String)).toEqual(['a']);
  });

  it('hands a request made before the socket is ready to memjs, which holds it until then', () => {
    const { s, socket, writes, held } = server();
    s.connected = false;
    s.write(req('early'));
    expect(writes).toEqual([]);
    expect(held).toHaveLength(1);
    held[0]?.(socket);
    expect(writes.map(String)).toEqual(['early']);
  });

  it(`asks the server's InFlight whether memcached is idle: then a busy tick's first ${EARLY_REQUESTS} go at once`, async () => {
    const { s, writes } = server();
    s.write(req('a'));
    s.write(req('b'));
    await tick();
    writes.length = 0;
    const many = Array.from({ length: EARLY_REQUESTS + 1 }, (_, i) => String.fromCharCode(65 + i));
    s.inFlight.size = EARLY_REQUESTS + 2; // one more than the tick holds: memcached is busy
    for (const r of many) s.write(req(r));
    expect(writes).toEqual([]);
    await tick();
    writes.length = 0;
    s.inFlight.size = EARLY_REQUESTS; // only the held ones: memcached is idle
    for (const r of many) s.write(req(r));
    expect(writes.map(String)).toEqual([many.slice(0, EARLY_REQUESTS).join('')]);
    await tick();
    expect(writes.map(String)).toEqual([many.slice(0, EARLY_REQUESTS).join(''), many[EARLY_REQUESTS]]);
  });
});
