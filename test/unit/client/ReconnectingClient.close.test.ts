import { describe, expect, test } from 'vitest';
import { type AnyActorRef, SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { ClientClosedError } from '../../../src/core/errors';
import { FakeMemcached } from '../../support/FakeMemcached';

// close() promises to settle calls in flight as `closed`: not `timeout` (a TimeoutError claiming
// memcached had not answered within timeoutMs), and without sending CALL.FAILED into the machine
// while it enters `closed`. The deadlines expire inside that transition, when the snapshot still
// says `active`.
describe('close() with calls in flight', () => {
  function setup() {
    const fake = new FakeMemcached();
    const sent: string[] = [];
    const cache = createClientWithPort(
      {
        servers: 'fake:11211',
        clock: new SimulatedClock(),
        inspect: (event) => {
          if (event.type === '@xstate.event' && (event.actorRef as AnyActorRef).id === 'fake:11211')
            sent.push(event.event.type);
        },
      },
      fake.factory,
    );
    fake.mode = 'manual';
    return { cache, sent };
  }

  test('a get in flight answers closed, and nothing is counted', async () => {
    const { cache, sent } = setup();
    const pending = cache.get('k');
    await cache.close();
    expect(await pending).toEqual({ ok: false, reason: 'closed' });
    expect(sent).toEqual(['xstate.init', 'CLOSE']);
  });

  test('a ping in flight rejects with ClientClosedError', async () => {
    const { cache } = setup();
    const pending = cache.ping();
    await cache.close();
    await expect(pending).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe('fetch and invalidate after close()', () => {
  test('fetch rejects with ClientClosedError without calling the loader; invalidate answers false as delete does', async () => {
    const fake = new FakeMemcached();
    const cache = createClientWithPort({ servers: 'fake:11211', clock: new SimulatedClock() }, fake.factory);
    await cache.close();
    let loads = 0;
    const loader = () => {
      loads++;
      return 'loaded';
    };
    await expect(cache.fetch('k', loader, { ttl: 60 })).rejects.toBeInstanceOf(ClientClosedError);
    await expect(cache.fetch('k', loader, { ttl: 60, signal: new AbortController().signal })).rejects.toBeInstanceOf(
      ClientClosedError,
    );
    expect(loads).toBe(0);
    expect(await cache.invalidate('k')).toBe(false);
    expect(await cache.invalidate('k', { staleTtl: 30 })).toBe(false);
    expect(await cache.delete('k')).toBe(false);
    // Bad input is still the caller's bug first, as in every other call.
    await expect(cache.fetch('bad key', loader, { ttl: 60 })).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' });
    expect(fake.calls.length).toBe(0);
  });
});
