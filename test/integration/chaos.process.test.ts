import { describe, it } from 'vitest';
import { startMemcached } from '../../src/testing/memcached';
import type { ChaosScenario, ChaosWorld } from '../support/chaosScenario';
import { runCloseMidway, runHealing } from '../support/chaosScenario';

// The memcached process itself is killed, frozen or restarted under traffic (no proxy). Each
// scenario runs three times: healing by itself, close() right after the fault, close() while probing.

/** Stopped with `signal`, started again on the same port (so with an empty cache) to heal. */
async function restarted(signal: NodeJS.Signals, probesFail: boolean): Promise<ChaosWorld> {
  let server = await startMemcached();
  const port = server.port;
  return {
    servers: server.address,
    memcachedPort: () => port,
    probesFail,
    keepsData: false,
    fault: () => server.stop(signal),
    async heal() {
      server = await startMemcached({ port });
    },
    teardown: () => server.stop(),
  };
}

/** Frozen with SIGSTOP: the kernel still accepts connections, nothing answers. SIGCONT heals. */
async function frozen(): Promise<ChaosWorld> {
  const server = await startMemcached();
  const signal = (name: NodeJS.Signals) => async () => void server.process.kill(name);
  return {
    servers: server.address,
    memcachedPort: () => server.port,
    probesFail: true,
    keepsData: true,
    fault: signal('SIGSTOP'),
    heal: signal('SIGCONT'),
    teardown: () => server.stop(),
  };
}

const scenarios: ChaosScenario[] = [
  // Down long enough for refused probes; the schedule backs off; back on the same port.
  { name: 'kill -9, down through failed probes, restarted', setup: () => restarted('SIGKILL', true) },
  { name: 'SIGSTOP then SIGCONT (a frozen server)', setup: frozen },
  // memcached closes its connections cleanly; the client notices and finds the new process itself.
  { name: 'graceful restart on the same port (SIGTERM)', setup: () => restarted('SIGTERM', false) },
  // Back at once, empty: what was cached reads as misses (ok), never as errors or old values.
  { name: 'restart with an empty cache (kill -9, back at once)', setup: () => restarted('SIGKILL', false) },
];

describe('chaos: memcached process killed, frozen, restarted', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: heals, no hung call, no leak`, () => runHealing(scenario));
    it(`${scenario.name}: close() right after the fault settles everything`, () => runCloseMidway(scenario, 'fault'));
    it(`${scenario.name}: close() while probing settles everything`, () => runCloseMidway(scenario, 'probing'));
  }
});
