import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { expectNoValueOfAnother } from '../support/pairedAnswers';
import { ScriptedMeta, type ScriptedRequest } from '../support/ScriptedMeta';

// A server that answers the meta protocol wrongly, in ways of its own (the conformance suite,
// test/conformance, has those of every protocol): each wrong answer fails the connection with a
// ConnectionError (reason `connection`, counted toward healing), and no caller receives another
// caller's value or bytes that are not a value.
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
    expectNoValueOfAnother(k0, k1, failures);
  });
});

describe('the reader trusts nothing', () => {
  it.each([
    ['flags beyond 32 bits', (r: ScriptedRequest) => r.write(`VA 2 f4294967296${r.opaque}\r\nk0\r\n`)],
    ['an opaque that is not a number', (r: ScriptedRequest) => r.write(`VA 2 f0 Ox\r\nk0\r\n`)],
    ['a negative size', (r: ScriptedRequest) => r.write(`VA -2 f0${r.opaque}\r\nk0\r\n`)],
  ])('%s fails the connection', async (_, script) => {
    const { cache, failures } = await hostile(script);
    expect(await cache.get('k0')).toMatchObject(FAILED);
    expect(failures()).toBe(1);
  });
});
