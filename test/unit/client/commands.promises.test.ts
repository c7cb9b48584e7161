import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { Client } from '../../../src/api/Client';
import { createClientWithPort } from '../../../src/client/createClient';
import { ClientClosedError, ConnectionDownError, InvalidOptionError, TimeoutError } from '../../../src/core/errors';
import { COMMANDS, expectNotOk, outcome } from '../../support/commandTable';
import { FakeMemcached } from '../../support/FakeMemcached';
import { PENDING, settledNow } from '../../support/settledNow';

// The README's promises, once for every command: the same table drives each check.
const TIMEOUT = 100;

function expectAnswered(answer: unknown): void {
  expect(typeof answer === 'object' && answer !== null && 'rejected' in answer, 'rejected').toBe(false);
  if (typeof answer === 'object' && answer !== null && 'ok' in answer) expect(answer).toMatchObject({ ok: true });
}

describe.each(COMMANDS)('$name keeps the promises', (command) => {
  let fake: FakeMemcached;
  let clock: SimulatedClock;
  let cache: Client;
  const make = (allowedFailuresBeforeHealing = 1000) => {
    fake = new FakeMemcached();
    clock = new SimulatedClock();
    cache = createClientWithPort(
      { servers: 'fake:11211', timeoutMs: TIMEOUT, clock, allowedFailuresBeforeHealing },
      fake.factory,
    );
  };
  afterEach(async () => {
    await cache.close();
  });

  it('answers in its own form when up', async () => {
    make();
    expectAnswered(await outcome(command.call(cache)));
    expect(fake.calls.length, 'it reached memcached').toBeGreaterThan(0);
  });

  it('while reconnecting: not-ok at once, without I/O', async () => {
    make(1);
    fake.mode = 'refusing';
    await cache.get('trip');
    expect(cache.state).toBe('reconnecting');
    const reached = fake.calls.length;
    const answer = await settledNow(outcome(command.call(cache)));
    expect(answer, 'settled without waiting').not.toBe(PENDING);
    expectNotOk(command, answer, 'reconnecting', (err) => expect(err).toBeInstanceOf(ConnectionDownError));
    expect(fake.calls.length, 'calls that reached memcached').toBe(reached);
  });

  it('against a black hole: settles exactly at its deadline', async () => {
    make();
    fake.mode = 'blackhole';
    const pending = outcome(command.call(cache));
    clock.increment(TIMEOUT - 1);
    expect(await settledNow(pending), '1 ms before the deadline').toBe(PENDING);
    clock.increment(1);
    const answer = await settledNow(pending);
    expect(answer, 'at the deadline').not.toBe(PENDING);
    expectNotOk(command, answer, 'timeout', (err) => expect(err).toBeInstanceOf(TimeoutError));
  });

  it('per-call timeoutMs: this call only waits its own deadline', async () => {
    make();
    fake.mode = 'blackhole';
    const longer = outcome(command.call(cache, { timeoutMs: 3 * TIMEOUT }));
    const shorter = outcome(command.call(cache, { timeoutMs: TIMEOUT / 4 }));
    clock.increment(TIMEOUT / 4);
    expectNotOk(command, await settledNow(shorter), 'timeout');
    clock.increment(TIMEOUT);
    expect(await settledNow(longer), 'past the client deadline').toBe(PENDING);
    clock.increment(2 * TIMEOUT);
    expectNotOk(command, await settledNow(longer), 'timeout');
  });

  it('per-call signal: an abort settles at once as aborted, counts nothing, the connection stays', async () => {
    make(1);
    fake.mode = 'blackhole';
    const controller = new AbortController();
    const pending = outcome(command.call(cache, { signal: controller.signal }));
    expect(await settledNow(pending)).toBe(PENDING);
    controller.abort();
    const answer = await settledNow(pending);
    expect(answer, 'settled at the abort').not.toBe(PENDING);
    expectAborted(answer);
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
    // Aborted before it started: no I/O at all.
    const reached = fake.calls.length;
    expectAborted(await outcome(command.call(cache, { signal: AbortSignal.abort() })));
    expect(fake.calls.length).toBe(reached);
    fake.mode = 'up';
    expectAnswered(await outcome(command.call(cache)));
  });

  // Admin commands and ping reject with the signal's reason (an AbortError by default), not a server's error.
  function expectAborted(answer: unknown): void {
    if (command.kind === 'result' || command.kind === 'boolean') expectNotOk(command, answer, 'aborted');
    else expect(answer).toMatchObject({ rejected: { name: 'AbortError' } });
  }

  it('bad per-call options reject with InvalidOptionError before any I/O', async () => {
    make();
    const reached = fake.calls.length;
    for (const opts of [{ timeoutMs: 0 }, { timeoutMs: Number.NaN }, { timeoutMs: 2 ** 31 }, { signal: {} }, 'x']) {
      const answer = (await outcome(command.call(cache, opts as never))) as { rejected?: unknown };
      expect(answer.rejected, JSON.stringify(opts)).toBeInstanceOf(InvalidOptionError);
    }
    expect(fake.calls.length).toBe(reached);
  });

  it('after close: closed, without I/O', async () => {
    make();
    await cache.close();
    const reached = fake.calls.length;
    const answer = await outcome(command.call(cache));
    if (command.kind === 'admin' || command.kind === 'ping') {
      expect((answer as { rejected: unknown }).rejected).toBeInstanceOf(ClientClosedError);
    } else expectNotOk(command, answer, 'closed');
    expect(fake.calls.length).toBe(reached);
  });
});
