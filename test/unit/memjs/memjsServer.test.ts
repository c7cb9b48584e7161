import { describe, expect, it } from 'vitest';
import { catchAll, FLAGS, fakeServer, parseMessage, readerOf, response } from '../../support/memjsServerStub';

describe('memjs Server adapted: responses parsed in place', () => {
  it('reads responses split anywhere across chunks as memjs parses them', () => {
    const stream = Buffer.concat([
      response(0x0d, 7, 'alpha', FLAGS, 'one'),
      response(0x0d, 7, 'beta', FLAGS, 'x'.repeat(300)),
      response(0x0a, 7, '', Buffer.alloc(0), ''),
    ]);
    for (const cut of [1, 23, 24, 30, 35, 100, stream.length - 1]) {
      const { server, seen } = fakeServer(() => {});
      readerOf(server)(stream.subarray(0, cut));
      readerOf(server)(stream.subarray(cut));
      expect(seen.map((r) => r.key)).toEqual(['alpha', 'beta', '']);
      expect(seen.map((r) => r.flags)).toEqual([42, 42, 0]);
      const first = parseMessage(stream);
      if (!first) throw new Error('reference parser found no message');
      expect(seen[0]?.val).toBe(first.val.toString());
      expect(seen[0]?.extras).toEqual(first.extras);
    }
  });

  it("stops when a response retires the socket: the dead stream's tail never reaches the new one", () => {
    const { server, seen } = fakeServer((s) => {
      // What a callback that fails the connection does: the socket and its InFlight end.
      s.error(new Error('retired'));
    });
    const read = readerOf(server);
    const stream = Buffer.concat([response(0x00, 1, 'a', FLAGS, 'v'), response(0x00, 2, 'b', FLAGS, 'half')]);
    read(stream.subarray(0, stream.length - 2));
    read(stream.subarray(stream.length - 2));
    expect(seen.map((r) => r.opaque)).toEqual([1]);
    // The next socket's reader starts clean, into the next InFlight: its first answer is read as one.
    catchAll(server, (r) => seen.push({ opaque: r.opaque, key: '', extras: r.extras, val: '', flags: 0 }));
    server.reader()(response(0x00, 3, 'c', FLAGS, 'w'));
    expect(seen.map((r) => r.opaque)).toEqual([1, 3]);
  });
});

describe('InPlaceResponse.cas', () => {
  it('reads all 64 bits of the header CAS exactly', () => {
    for (const cas of [0n, 1n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const bytes = response(0x00, 1, '', FLAGS, 'v');
      bytes.writeBigUInt64BE(cas, 16);
      let read: bigint | undefined;
      const { server } = fakeServer((_, r) => {
        read = r.cas();
      });
      readerOf(server)(bytes);
      expect(read).toBe(cas);
    }
  });
});
