import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { startMemcached } from '../../src/testing/memcached';

/**
 * A real memcached behind a fault proxy, and a client through it that heals after 2 failures and
 * then waits a minute before probing (so an outage stays put while a test looks at it). Each piece
 * is pushed onto `cleanup`.
 */
export async function proxiedClient(cleanup: Array<() => unknown>) {
  const server = await startMemcached();
  cleanup.push(() => server.stop());
  const proxy = await FaultProxy.start({ port: server.port });
  cleanup.push(() => proxy.close());
  const cache = createClient({
    servers: [proxy.address],
    timeoutMs: 100,
    allowedFailuresBeforeHealing: 2,
    recoveryDelayMs: 60_000,
  });
  cleanup.push(() => cache.close());
  return { server, proxy, cache };
}
