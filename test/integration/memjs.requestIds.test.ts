import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServers } from '../../src/config/parseServers';
import { silentLogger } from '../../src/core/logger';
import { memjsPortFactory } from '../../src/memjs/MemjsPort';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { portCommands } from '../support/portCommands';

// Request ids past 2^31 - 1 on one connection: memjs's `seq &= 0xffffffff` makes them negative,
// memcached echoes them unsigned, and nothing would match. A port started next to each edge must
// keep answering every kind of call across it.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

const EDGES = [
  ['the signed edge (2^31)', 2 ** 31 - 3],
  ['the unsigned wrap (2^32)', 2 ** 32 - 3],
] as const;

describe('request ids on one connection', () => {
  it.each(EDGES)('every call kind answers across %s', async (_name, first) => {
    const port = memjsPortFactory({
      timeoutMs: 2_000,
      connectTimeoutMs: 2_000,
      logger: silentLogger,
      firstRequestId: first,
    })(parseServers([server.address])[0]!);
    try {
      // Eight rounds of five calls: about 40 ids, well past the edge.
      for (let round = 0; round < 8; round++) {
        const key = `id:${first}:${round}`;
        await port.set(key, Buffer.from(`v${round}`), round, 0);
        expect((await port.get(key))?.value.toString()).toBe(`v${round}`);
        expect([...(await portCommands(port).getMulti([key, 'id:absent'])).keys()]).toEqual([key]);
        expect(await portCommands(port).delete(key)).toBe(true);
        await port.ping();
      }
    } finally {
      port.close();
    }
  });
});
