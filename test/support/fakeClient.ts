import { SimulatedClock } from 'xstate';
import type { Client, StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import { FakeMemcached } from './FakeMemcached';

/** The fake client's timeoutMs. */
export const TIMEOUT = 100;

/** A client over one fake server, on a simulated clock; every state change it reports is in `changes`. */
export function setupFakeClient(options: { allowed?: number; random?: number } = {}) {
  const fake = new FakeMemcached();
  const clock = new SimulatedClock();
  const cache = createClientWithPort(
    {
      servers: 'fake:11211',
      timeoutMs: TIMEOUT,
      allowedFailuresBeforeHealing: options.allowed ?? 3,
      recoveryDelayMs: 1000,
      maxRecoveryDelayMs: 8000,
      clock,
    },
    fake.factory,
    { random: () => options.random ?? 0 },
  );
  const changes: StateChange[] = [];
  cache.subscribe((change) => changes.push(change));
  return { fake, clock, cache, changes };
}

/** Fails `n` calls at the socket. */
export async function failCalls(fake: FakeMemcached, cache: Client, n: number) {
  const mode = fake.mode;
  fake.mode = 'refusing';
  for (let i = 0; i < n; i++) await cache.get('k');
  fake.mode = mode;
}

/** Lets the probe's promise settle: it runs in microtasks after the delayed event fires. */
export async function heal(t: ReturnType<typeof setupFakeClient>) {
  t.clock.increment(t.cache.connectionActor().getSnapshot().context.nextDelayMs);
  for (let i = 0; i < 10 && t.cache.state === 'reconnecting'; i++) await Promise.resolve();
}
