import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { FakeMemcached } from '../../support/FakeMemcached';

// The other hot path: while reconnecting, a call is answered from the state it reads, with no I/O
// and no event (the benchmark measures it at well under a microsecond).
describe('a call while reconnecting', () => {
  it('reaches no port and sends no event; every kind of call answers not-ok', async () => {
    const server = new FakeMemcached();
    const events: InspectionEvent[] = [];
    const client = createClientWithPort(
      {
        servers: '127.0.0.1:11211',
        clock: new SimulatedClock(),
        allowedFailuresBeforeHealing: 1,
        inspect: (event) => events.push(event),
      },
      server.factory,
    );
    server.mode = 'refusing';
    expect(await client.get('k')).toMatchObject({ ok: false, reason: 'connection' });
    expect(client.state).toBe('reconnecting');
    const calls = server.calls.length;
    const sent = events.filter((e) => e.type === '@xstate.event').length;

    expect(await client.get('k')).toEqual({ ok: false, reason: 'reconnecting' });
    expect(await client.getMulti(['a', 'b'])).toEqual({ ok: false, reason: 'reconnecting' });
    expect(await client.set({ key: 'k', value: 'v' })).toBe(false);
    expect(await client.delete('k')).toBe(false);
    await expect(client.ping()).rejects.toMatchObject({ code: 'ERR_CONNECTION_DOWN' });

    expect(server.calls.length).toBe(calls);
    expect(events.filter((e) => e.type === '@xstate.event').length).toBe(sent);
    await client.close();
  });
});
