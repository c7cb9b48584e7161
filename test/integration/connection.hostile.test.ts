import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { type HostileGet, startHostile } from '../support/hostileServer';
import { PROTOCOL } from '../support/protocol';

// A server that answers wrongly, the same way in each protocol (this file runs over each adapter,
// vitest.config.ts): each wrong answer fails the connection with a ConnectionError (reason
// `connection`, counted toward healing), and no caller receives another caller's value.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function hostile(script: (get: HostileGet) => void, timeoutMs = 1_000) {
  const fake = await startHostile(PROTOCOL, script);
  cleanup.push(() => fake.close());
  const cache = createClient({ servers: fake.address, timeoutMs, allowedFailuresBeforeHealing: 100 });
  cleanup.push(() => cache.close());
  return { cache, failures: () => cache.servers()[0]!.failures };
}

const FAILED = { ok: false, reason: 'connection' };

describe('answers are paired with their requests', () => {
  it.each([
    // The first get is answered twice: the second answer is one nobody asked for.
    [
      'an unsolicited answer',
      (g: HostileGet) => g.write(Buffer.concat([g.hit(g.key), ...(g.index === 1 ? [g.hit('zz')] : [])])),
    ],
    // The first get's answer never comes; the second one's does.
    ['a dropped answer', (g: HostileGet) => g.index !== 1 && g.write(g.hit(g.key))],
  ])('%s fails the connection; no caller gets a value that is not its own', async (_, script) => {
    const { cache, failures } = await hostile(script);
    const [k0, k1] = await Promise.all([cache.get('k0'), cache.get('k1')]);
    for (const [key, result] of [
      ['k0', k0],
      ['k1', k1],
    ] as const) {
      if (result.ok) expect(result.item?.value.toString(), key).toBe(key);
    }
    expect([k0, k1]).toContainEqual(expect.objectContaining(FAILED));
    expect(failures()).toBeGreaterThanOrEqual(1);
  });
});

it('a value over maxValueBytes fails the connection at once, before its bytes arrive', async () => {
  const { cache } = await hostile((g) => {
    g.write(g.header(2_000_000_000));
    g.write(Buffer.alloc(64 * 1024));
  }, 5_000);
  const started = performance.now();
  expect(await cache.get('k0')).toMatchObject(FAILED);
  // Well within the call's 5 s: nothing waited for the value.
  expect(performance.now() - started).toBeLessThan(2_500);
});
