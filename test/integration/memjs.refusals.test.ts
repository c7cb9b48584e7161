import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { FakeBinaryServer, responseHeader } from '../support/FakeBinaryServer';

// A server that refuses every request (an error status, empty body) is answering: not an outage.
// getMulti must answer `server` like get and set (memjs drops the multi-get's quiet handler at the
// first empty-body refusal, so the NOOP finds nobody and the call would time out and count).
const STATUS_INTERNAL_ERROR = 0x84;
let fake: FakeBinaryServer;
beforeAll(async () => {
  fake = await FakeBinaryServer.start((request, socket) => {
    socket.write(responseHeader(request, STATUS_INTERNAL_ERROR));
  });
});
afterAll(async () => {
  await fake?.close();
});

it('every call against a refusing server answers `server`, and nothing counts', async () => {
  const cache = createClient({ servers: fake.address, timeoutMs: 500, allowedFailuresBeforeHealing: 1 });
  const states: string[] = [];
  cache.subscribe((change) => states.push(change.state));
  try {
    for (let i = 0; i < 3; i++) {
      expect(await cache.get('a')).toMatchObject({ ok: false, reason: 'server' });
      expect(await cache.getMulti(['a', 'b', 'c'])).toMatchObject({ ok: false, reason: 'server' });
      expect(await cache.getMulti(['one'])).toMatchObject({ ok: false, reason: 'server' });
      expect(await cache.set({ key: 'a', value: 'v' })).toBe(false);
      expect(await cache.delete('a')).toBe(false);
    }
    expect(states).toEqual([]);
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(fake.accepted).toBe(1);
  } finally {
    await cache.close();
  }
});
