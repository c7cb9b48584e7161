import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import { FakeMemcached } from '../../support/FakeMemcached';

// The hot path reads the actor's snapshot and sends nothing while connected: a send costs about
// 2 us and an attached inspector about 10x that, against a few us for the whole call.
describe('a successful call while connected', () => {
  function setup() {
    const server = new FakeMemcached();
    const events: InspectionEvent[] = [];
    const client = createClientWithPort(
      { servers: '127.0.0.1:11211', clock: new SimulatedClock(), inspect: (event) => events.push(event) },
      server.factory,
    );
    const sent = () =>
      events.filter((e) => e.type === '@xstate.event').map((e) => (e as { event: { type: string } }).event.type);
    return { server, client, sent };
  }

  it('sends no event to the actor, for every kind of call', async () => {
    const { server, client, sent } = setup();
    const before = sent();
    expect(await client.set({ key: 'k', value: 'v' })).toBe(true);
    expect(await client.get('k')).toMatchObject({ ok: true, item: { key: 'k' } });
    expect(await client.get('missing')).toEqual({ ok: true, item: undefined });
    expect(await client.getMulti(['k', 'missing'])).toMatchObject({ ok: true });
    expect(await client.delete('k')).toBe(true);
    await client.ping();
    expect(server.calls).toEqual(['set', 'get', 'get', 'getMulti', 'delete', 'ping']);
    expect(sent()).toEqual(before);
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('does send CALL.SUCCEEDED when a success ends a run of failures (degraded)', async () => {
    const { server, client, sent } = setup();
    server.mode = 'refusing';
    expect(await client.get('k')).toMatchObject({ ok: false, reason: 'connection' });
    expect(client.state).toBe('degraded');
    server.mode = 'up';
    expect(await client.get('k')).toMatchObject({ ok: true });
    expect(client.state).toBe('connected');
    expect(sent().filter((type) => type.startsWith('CALL.'))).toEqual(['CALL.FAILED', 'CALL.SUCCEEDED']);
    await client.close();
  });

  it('timeouts that expire together reach the actor as one CALL.FAILED with their count', async () => {
    const server = new FakeMemcached();
    server.mode = 'blackhole';
    const events: InspectionEvent[] = [];
    const clock = new SimulatedClock();
    const client = createClientWithPort(
      {
        servers: '127.0.0.1:11211',
        clock,
        timeoutMs: 100,
        allowedFailuresBeforeHealing: 1_000,
        inspect: (e) => events.push(e),
      },
      server.factory,
    );
    const calls = Array.from({ length: 500 }, (_, i) => client.get(`k${i}`));
    clock.increment(100);
    const answers = await Promise.all(calls);
    expect(new Set(answers.map((a) => (a.ok ? 'ok' : a.reason)))).toEqual(new Set(['timeout']));
    const failed = events
      .filter((e) => e.type === '@xstate.event')
      .map((e) => (e as { event: { type: string; count?: number } }).event)
      .filter((e) => e.type === 'CALL.FAILED');
    expect(failed).toEqual([expect.objectContaining({ count: 500 })]);
    expect(client.connectionActor().getSnapshot().context.failures).toBe(500);
    await client.close();
  });
});
