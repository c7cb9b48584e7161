import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect } from 'vitest';
import type { HostileGet } from '../../support/hostileServer';
import { expectNoValueOfAnother } from '../../support/pairedAnswers';
import type { Run, Scenario } from '../Scenario';

// A server that answers wrongly: each wrong answer fails the connection with a ConnectionError
// (reason `connection`, counted toward healing), and no caller receives another caller's value or
// bytes that are not a value.
const FAILED = { ok: false, reason: 'connection' };

async function hostileClient(run: Run, script: (get: HostileGet) => void, timeoutMs = 1_000) {
  const fake = await run.hostile(script);
  const cache = run.client(fake.address, { timeoutMs, allowedFailuresBeforeHealing: 100 });
  return { cache, failures: () => cache.servers()[0]!.failures };
}

/** Two gets at once against `script`: neither receives the other's value, and the connection fails. */
function pairing(name: string, script: (get: HostileGet) => void): Scenario {
  return {
    name: `${name}: fails the connection; no caller gets a value that is not its own`,
    async run(run) {
      const { cache, failures } = await hostileClient(run, script);
      // Over text, each get on a line of its own: the gets of one tick (or made while the connection
      // opens) share one line, where a dropped answer is a miss and the line's END comes after both
      // keys' answers. So on a connection already open, the second get waits a turn of the loop.
      if (run.protocol === 'text') await cache.ping();
      const first = cache.get('k0');
      if (run.protocol === 'text') await new Promise((resolve) => setImmediate(resolve));
      const [k0, k1] = await Promise.all([first, cache.get('k1')]);
      expectNoValueOfAnother(k0, k1, failures);
    },
  };
}

/**
 * Streams filler after `get.endless()` as fast as the socket takes it, up to 48 MB, then 16 KB every
 * 5 ms, until the client hangs up.
 */
function stream(get: HostileGet): void {
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let sent = 0;
  const more = () => {
    if (get.socket.destroyed) return;
    if (sent >= 48 * 1024 * 1024) {
      const drip = setInterval(
        () => (get.socket.destroyed ? clearInterval(drip) : get.socket.write(chunk.subarray(0, 16 * 1024))),
        5,
      );
      return;
    }
    sent += chunk.length;
    if (get.socket.write(chunk)) setImmediate(more);
    else get.socket.once('drain', more);
  };
  get.write(get.endless());
  more();
}

/** A client of `script`'s server, with a promise per connection that resolves once the client has closed it. */
async function closingClient(run: Run, script: (get: HostileGet) => void, timeoutMs: number) {
  const closed: Array<Promise<unknown>> = [];
  const { cache } = await hostileClient(
    run,
    (g) => {
      // Not events.once: a reset that closes it is an 'error' too, which would reject that.
      closed.push(new Promise((resolve) => g.socket.on('close', resolve)));
      script(g);
    },
    timeoutMs,
  );
  return { cache, closed };
}

export const HOSTILE_ANSWERS: readonly Scenario[] = [
  // The first get is answered twice: the second answer is one nobody asked for.
  pairing('an unsolicited answer', (g) =>
    g.write(Buffer.concat([g.hit(g.key), ...(g.index === 1 ? [g.hit('zz')] : [])])),
  ),
  // The first get's answer never comes; the second one's does.
  pairing('a dropped answer', (g) => g.index !== 1 && g.write(g.hit(g.key))),
  {
    name: 'a malformed answer fails the connection, counted',
    async run(run) {
      const { cache, failures } = await hostileClient(run, (g) => g.write(g.malformed()));
      expect(await cache.get('k0')).toMatchObject(FAILED);
      expect(failures()).toBe(1);
    },
  },
  {
    name: 'an oversized value (over maxValueBytes) fails the connection at once, before its bytes arrive',
    async run(run) {
      const { cache, closed } = await closingClient(
        run,
        (g) => {
          g.write(g.header(2_000_000_000));
          g.write(Buffer.alloc(64 * 1024));
        },
        5_000,
      );
      const started = performance.now();
      const answer = await cache.get('k0');
      expect(answer).toMatchObject(FAILED);
      expect(String(!answer.ok && answer.error?.message)).toMatch(/over maxValueBytes \(67108864\)/);
      // Well within the call's 5 s: nothing waited for the value.
      expect(performance.now() - started).toBeLessThan(2_500);
      // The server sees the connection closed by the client (the test's timeout bounds the wait).
      await Promise.all(closed);
    },
  },
  {
    name: 'an endless line or value fails the call, the client closes its connection, and the event loop is never held',
    alone: true,
    async run(run) {
      const { cache, closed } = await closingClient(run, stream, 1_000);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const result = await cache.get('k0');
      // A line is over its bound at once; a value within maxValueBytes is given up at the call's
      // deadline, and its connection, which nobody waits on any more, is closed.
      await Promise.all(closed);
      delay.disable();
      expect(result).toMatchObject({ ok: false });
      expect(delay.max / 1e6).toBeLessThan(250);
    },
  },
];
