import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { ScriptedMeta, type ScriptedRequest } from '../support/ScriptedMeta';

// A server that answers the meta protocol wrongly, in ways of its own (connection.hostile.test.ts
// has those of every protocol): each wrong answer fails the connection with a ConnectionError
// (reason `connection`, counted toward healing), and no caller receives another caller's value or
// bytes that are not a value.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function hostile(script: (request: ScriptedRequest) => void, timeoutMs = 1_000) {
  const fake = await ScriptedMeta.start(script);
  cleanup.push(() => fake.close());
  const cache: Client = createClient({
    servers: fake.address,
    protocol: 'meta',
    timeoutMs,
    allowedFailuresBeforeHealing: 100,
  });
  cleanup.push(() => cache.close());
  return { fake, cache, failures: () => cache.servers()[0]!.failures };
}

const FAILED = { ok: false, reason: 'connection' };
const hit = (value: string, opaque: string) => `VA ${value.length} f0${opaque}\r\n${value}\r\n`;

describe('answers are paired with their requests by id', () => {
  it.each([
    [
      'an unsolicited answer without an id',
      (r: ScriptedRequest) => r.write(hit(r.key, r.opaque) + (r.index === 1 ? hit('zz', '') : '')),
    ],
    [
      'a size shorter than the value',
      (r: ScriptedRequest) => r.write(r.index === 1 ? `VA 2 f0${r.opaque}\r\nk0zz\r\n` : hit(r.key, r.opaque)),
    ],
    [
      'a size longer than the value',
      (r: ScriptedRequest) => r.write(r.index === 1 ? `VA 6 f0${r.opaque}\r\nk0\r\n` : hit(r.key, r.opaque)),
    ],
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

describe('the reader trusts nothing', () => {
  it.each([
    ['a size that is not digits', (r: ScriptedRequest) => r.write(`VA 1/ f0${r.opaque}\r\nabcdefghi\r\n`)],
    ['flags beyond 32 bits', (r: ScriptedRequest) => r.write(`VA 2 f4294967296${r.opaque}\r\nk0\r\n`)],
    ['an opaque that is not a number', (r: ScriptedRequest) => r.write(`VA 2 f0 Ox\r\nk0\r\n`)],
    ['a negative size', (r: ScriptedRequest) => r.write(`VA -2 f0${r.opaque}\r\nk0\r\n`)],
  ])('%s fails the connection', async (_, script) => {
    const { cache, failures } = await hostile(script);
    expect(await cache.get('k0')).toMatchObject(FAILED);
    expect(failures()).toBe(1);
  });

  it('a line that never ends fails the connection, and reading it does not hold the event loop', async () => {
    let sent = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const { cache } = await hostile((r) => {
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      const more = () => {
        // Up to 48 MB of one line, as fast as the socket takes it, until the client hangs up.
        if (r.socket.destroyed || sent >= 48 * 1024 * 1024) return done();
        sent += chunk.length;
        if (r.socket.write(chunk)) setImmediate(more);
        else r.socket.once('drain', more);
      };
      r.socket.once('close', done);
      more();
    }, 3_000);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const result = await cache.get('k0');
    await finished;
    delay.disable();
    expect(result).toMatchObject(FAILED);
    expect(delay.max / 1e6).toBeLessThan(250);
  });
});
