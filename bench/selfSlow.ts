// `node --expose-gc --import tsx bench/selfSlow.ts [scenario ...]`
//
// The figures of docs/reliability.md, "What the client does when its own process is slow": each
// scenario prints one line of JSON. Run on an otherwise idle machine; the
// figures move with load.
import { createClient } from '../src/client/createClient';
import { startBlackHole, startMemcached } from '../src/testing/memcached';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // The caller's own synchronous work: a GC pause, a large JSON.parse.
  }
};

function tally(results: readonly { ok: boolean; reason?: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const k = r.ok ? 'ok' : (r.reason ?? '?');
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const scenarios: Record<string, () => Promise<object>> = {
  /** 20 gets in flight, then the caller holds the event loop. */
  async stall() {
    const server = await startMemcached();
    const out: Record<string, object> = {};
    for (const ms of [50, 150, 500]) {
      const cache = createClient({ servers: server.address });
      await cache.get('warm');
      const states: string[] = [];
      cache.subscribe((c) => states.push(c.state));
      const calls = Array.from({ length: 20 }, (_, i) => cache.get(`k${i}`));
      busy(ms);
      out[`${ms}ms`] = { ...tally(await Promise.all(calls)), states, after: cache.state };
      await cache.close();
    }
    await server.stop();
    return out;
  },
  /** Promise.all of 100,000 gets on a healthy memcached, default timeoutMs. */
  async burst() {
    const server = await startMemcached();
    const cache = createClient({ servers: server.address });
    await cache.set({ key: 'k', value: 'v' });
    const states: string[] = [];
    cache.subscribe((c) => states.push(c.state));
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 100_000 }, () => cache.get('k')));
    const ms = Math.round(performance.now() - started);
    await cache.close();
    await server.stop();
    return { ...tally(results), ms, states };
  },
  /** 100,000 gets against a black hole: how long past its own deadline does each settle? */
  async blackhole() {
    const hole = await startBlackHole();
    const timeoutMs = 100;
    const cache = createClient({ servers: hole.address, timeoutMs, allowedFailuresBeforeHealing: 1_000_000 });
    let worst = 0;
    const calls = Array.from({ length: 100_000 }, () => {
      const deadline = performance.now() + timeoutMs;
      return cache.get('k').then((r) => {
        worst = Math.max(worst, performance.now() - deadline);
        return r;
      });
    });
    const results = await Promise.all(calls);
    await cache.close();
    await hole.close();
    return { ...tally(results), worstPastDeadlineMs: Math.round(worst) };
  },
  /** A 32 MB value: set then get, against memcached -I 64m. */
  async large() {
    const server = await startMemcached({ args: ['-I', '64m', '-m', '256'] });
    const cache = createClient({ servers: server.address, timeoutMs: 30_000 });
    const value = Buffer.alloc(32 * 1024 * 1024, 7);
    const set = await cache.set({ key: 'big', value });
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const got = await cache.get('big');
      out.push(Math.round(performance.now() - started));
      if (!got.ok || got.item?.value.length !== value.length) throw new Error(`bad get: ${JSON.stringify(got)}`);
    }
    await cache.close();
    await server.stop();
    return { set, getMs: out };
  },
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(scenarios)) {
  const run = scenarios[name];
  if (!run) throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
  console.log(JSON.stringify({ scenario: name, ...(await run()) }));
}
process.exit(0);
