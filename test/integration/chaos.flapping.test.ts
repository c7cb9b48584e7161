import { describe, it } from 'vitest';
import { type FaultMode, FaultProxy } from '../../src/testing/FaultProxy';
import { startMemcached } from '../../src/testing/memcached';
import type { ChaosScenario, ChaosWorld } from '../support/chaosScenario';
import { runCloseMidway, runHealing } from '../support/chaosScenario';
import { seededRandom } from '../support/Traffic';

// The link flaps: every 100-300 ms the proxy switches between passing and a random fault. The
// timers here drive the fault (they are the workload); the test itself only waits on events.

const FAULTS: FaultMode[] = [{ kind: 'refuse' }, { kind: 'reset' }, { kind: 'blackhole' }];

async function flapping(flips: number): Promise<ChaosWorld> {
  const server = await startMemcached();
  const proxy = await FaultProxy.start({ port: server.port });
  const random = seededRandom(7);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let flipped = 0;
  let enough: (() => void) | undefined;
  const flip = async () => {
    if (stopped) return;
    const next = flipped % 2 === 0 ? FAULTS[Math.floor(random() * FAULTS.length)]! : { kind: 'pass' as const };
    await proxy.setMode(next);
    flipped++;
    if (flipped >= flips) enough?.();
    if (stopped) return;
    // Unref'd: the flapping is the test's own machinery, not a handle the client must give back.
    timer = setTimeout(flip, 100 + random() * 200).unref();
  };
  const stop = async () => {
    stopped = true;
    clearTimeout(timer);
  };
  return {
    servers: proxy.address,
    memcachedPort: () => server.port,
    probesFail: false,
    keepsData: true,
    fault: flip,
    async heal() {
      // Let it flap `flips` times, then leave the link up.
      await new Promise<void>((resolve) => {
        enough = resolve;
        if (flipped >= flips) resolve();
      });
      await stop();
      await proxy.setMode({ kind: 'pass' });
    },
    async teardown() {
      await stop();
      await proxy.close();
      await server.stop();
    },
  };
}

const scenario: ChaosScenario = { name: 'flapping link (fault/pass every 100-300 ms)', setup: () => flapping(12) };

describe('chaos: flapping link', () => {
  it(`${scenario.name}: heals, no hung call, no leak`, () => runHealing(scenario));
  it(`${scenario.name}: close() right after the first flip settles everything`, () =>
    runCloseMidway(scenario, 'fault'));
  it(`${scenario.name}: close() while probing settles everything`, () => runCloseMidway(scenario, 'probing'));
});
