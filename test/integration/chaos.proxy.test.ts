import { describe, it } from 'vitest';
import { type FaultMode, FaultProxy } from '../../src/testing/FaultProxy';
import { startMemcached } from '../../src/testing/memcached';
import type { ChaosScenario, ChaosWorld } from '../support/chaosScenario';
import { runCloseMidway, runHealing } from '../support/chaosScenario';

// Every fault of the proxy between the client and a real memcached, switched on under traffic and
// off again. Each scenario runs three times: healing by itself, close() right after the fault,
// close() while a probe is in flight.

async function proxied(mode: FaultMode, probesFail: boolean): Promise<ChaosWorld> {
  const server = await startMemcached();
  const proxy = await FaultProxy.start({ port: server.port });
  return {
    servers: proxy.address,
    memcachedPort: () => server.port,
    probesFail,
    keepsData: true,
    fault: () => proxy.setMode(mode),
    heal: () => proxy.setMode({ kind: 'pass' }),
    async teardown() {
      await proxy.close();
      await server.stop();
    },
  };
}

const scenarios: ChaosScenario[] = [
  { name: 'proxy refuses new connections', setup: () => proxied({ kind: 'refuse' }, true) },
  { name: 'proxy black-holes (accepts, never answers)', setup: () => proxied({ kind: 'blackhole' }, true) },
  { name: 'proxy resets as a response starts', setup: () => proxied({ kind: 'reset' }, true) },
  // Longer than timeoutMs (100 ms): every call and probe times out.
  { name: 'proxy delays every chunk 300 ms', setup: () => proxied({ kind: 'delay', ms: 300 }, true) },
  {
    // A byte per event loop turn: small answers still arrive in time (the probe passes), 64 KB ones do not.
    name: 'proxy trickles responses a byte at a time',
    traffic: { largeBytes: 64 * 1024, largeEvery: 2 },
    setup: () => proxied({ kind: 'trickle' }, false),
  },
  {
    // Each connection is cut after 20 kB of responses: in the middle of a 64 KB value.
    name: 'proxy cuts the link in the middle of a large value',
    traffic: { largeBytes: 64 * 1024, largeEvery: 2 },
    setup: () => proxied({ kind: 'cut', afterBytes: 20_000 }, false),
  },
];

describe('chaos: fault proxy in front of a real memcached', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: heals, no hung call, no leak`, () => runHealing(scenario));
    it(`${scenario.name}: close() right after the fault settles everything`, () => runCloseMidway(scenario, 'fault'));
    it(`${scenario.name}: close() while probing settles everything`, () => runCloseMidway(scenario, 'probing'));
  }
});
