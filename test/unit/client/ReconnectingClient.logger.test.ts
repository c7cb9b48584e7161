import { expect, test } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import type { Logger } from '../../../src/core/logger';
import { FakeMemcached } from '../../support/FakeMemcached';

// The "healed" log line counted the failed probes after the heal had already reset them, so it
// always said "after 0 failed probes".
test('the healed log line says how many probes failed in the outage', async () => {
  const fake = new FakeMemcached();
  const clock = new SimulatedClock();
  const infos: string[] = [];
  const logger: Logger = { error() {}, warn() {}, info: (message) => infos.push(message), debug() {} };
  const cache = createClientWithPort(
    { servers: 'fake:11211', clock, logger, allowedFailuresBeforeHealing: 1, recoveryDelayMs: 1_000 },
    fake.factory,
    { random: () => 0 },
  );
  try {
    fake.mode = 'refusing';
    expect(await cache.get('k')).toMatchObject({ reason: 'connection' });
    for (const attempt of [1, 2]) {
      clock.increment(cache.connectionActor().getSnapshot().context.nextDelayMs);
      await waitFor(cache.connectionActor(), (s) => s.context.attempt === attempt, { timeout: 2_000 });
    }
    fake.mode = 'up';
    clock.increment(cache.connectionActor().getSnapshot().context.nextDelayMs);
    await waitFor(cache.connectionActor(), (s) => s.matches('connected'), { timeout: 2_000 });
    expect(infos).toEqual(['memcached connection healed after 2 failed probes (fake:11211)']);
  } finally {
    await cache.close();
  }
});
