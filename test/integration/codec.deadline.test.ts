import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import type { Codec } from '../../src/codec/Codec';
import type { DecodeError } from '../../src/core/errors';
import { TimeoutError } from '../../src/core/errors';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { PROTOCOL } from '../support/protocol';

// A read whose value is still decoding when the call's deadline passes answers reason 'decode' at
// that deadline (the client's timeoutMs or the call's own), and the codec's signal tells it to stop.
const cleanup = afterEachCleanup();
const TIMEOUT_MS = 300;
// Deadlines fire a little late on a machine shared with CPU-bound processes.
const SLACK_MS = 250;

/** A codec whose decode never ends on its own; `aborted` records what its signal said, if it got one. */
function stuckCodec(aborted: unknown[]): Codec<string> {
  return {
    encode: (value) => ({ value: Buffer.from(value), flags: 0 }),
    decode: (_value: Buffer, _flags: number, signal?: AbortSignal) =>
      new Promise<string>(() => signal?.addEventListener('abort', () => aborted.push(signal.reason))),
  };
}

async function clientWith(codec: Codec<string>) {
  const server = await startMemcached();
  cleanup(() => server.stop());
  const cache = createClient({ servers: [server.address], codec, timeoutMs: TIMEOUT_MS });
  cleanup(() => cache.close());
  expect(await cache.set({ key: 'k', value: 'v' })).toBe(true);
  expect(await cache.set({ key: 'j', value: 'w' })).toBe(true);
  return cache;
}

/** `answer` and how long after `start` (a `performance.now()`, the client's clock) it settled. */
async function since<T>(start: number, answer: Promise<T>): Promise<{ answer: T; ms: number }> {
  const settled = await answer;
  return { answer: settled, ms: performance.now() - start };
}

// The clock starts before the call: a call's deadline counts from when it was made, so a start
// taken after it (a busy machine can pause the process in between) would see it expire early.
async function timed<T>(call: () => Promise<T>): Promise<{ answer: T; ms: number }> {
  const start = performance.now();
  return since(start, call());
}

describe(`a decode that outlasts the call's deadline (${PROTOCOL})`, () => {
  it("get, gets, gat and getMulti answer reason 'decode' by the deadline; the codec's signal aborts", async () => {
    const aborted: unknown[] = [];
    const cache = await clientWith(stuckCodec(aborted));
    const start = performance.now();
    const reads = [cache.get('k'), cache.gets('k'), cache.gat('k', 60), cache.getMulti(['k', 'j'])];
    const answers = await Promise.all(reads.map((read) => since(start, read as Promise<unknown>)));
    for (const { ms } of answers) {
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    }
    for (const { answer } of answers.slice(0, 3)) {
      expect(answer).toMatchObject({ ok: false, reason: 'decode', error: { code: 'ERR_DECODE', key: 'k' } });
      const error = (answer as { error: DecodeError }).error;
      expect(error.message).toMatch(/still decoding when the call's deadline/);
      expect(error.cause).toBeInstanceOf(TimeoutError);
    }
    const multi = answers[3]?.answer as { ok: true; items: Map<string, unknown>; unavailable: string[] };
    expect(multi).toMatchObject({ ok: true, unavailable: ['k', 'j'] });
    expect(multi.items.size).toBe(0);
    // One signal per call: the getMulti's two decodes share theirs.
    expect(aborted).toHaveLength(5);
    for (const reason of aborted) expect(reason).toBeInstanceOf(TimeoutError);
    // Nothing counted as an outage.
    expect(cache.state).toBe('connected');
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
  });

  it("a call's own timeoutMs is its decode's deadline too; a codec that takes no signal still answers by it", async () => {
    const codec = stuckCodec([]);
    const cache = await clientWith({ encode: codec.encode, decode: (value, flags) => codec.decode(value, flags) });
    const { answer, ms } = await timed(() => cache.get('k', { timeoutMs: 100 }));
    expect(answer).toMatchObject({ ok: false, reason: 'decode' });
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(ms).toBeLessThan(100 + SLACK_MS);
  });

  it('a getMulti over several servers decodes by its deadline too', async () => {
    const servers = await Promise.all([startMemcached(), startMemcached()]);
    for (const server of servers) cleanup(() => server.stop());
    const aborted: unknown[] = [];
    const cache = createClient({
      servers: servers.map((server) => server.address),
      codec: stuckCodec(aborted),
      timeoutMs: TIMEOUT_MS,
    });
    cleanup(() => cache.close());
    const keys = Array.from({ length: 8 }, (_, i) => `key${i}`);
    expect((await cache.setMulti(keys.map((key) => ({ key, value: key })))).ok).toBe(true);
    const { answer, ms } = await timed(() => cache.getMulti(keys, { timeoutMs: 200 }));
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(ms).toBeLessThan(200 + SLACK_MS);
    expect(answer).toMatchObject({ ok: true, items: new Map() });
    expect(answer.ok && [...(answer.unavailable ?? [])].sort()).toEqual([...keys].sort());
    expect(answer.ok && answer.decodeErrors?.get('key0')?.message).toMatch(/still decoding when the call's deadline/);
    expect(aborted.length).toBeGreaterThan(0);
    for (const reason of aborted) expect(reason).toBeInstanceOf(TimeoutError);
  });

  it("fetch holds a stored value's decode to the read's deadline: past it, the value is a miss, loaded and stored over", async () => {
    const server = await startMemcached();
    cleanup(() => server.stop());
    const aborted: unknown[] = [];
    const stuck = stuckCodec(aborted);
    // Stuck on the stored value only: the loaded one decodes.
    const codec: Codec<string> = {
      encode: stuck.encode,
      decode: (value: Buffer, flags: number, signal?: AbortSignal) =>
        value.toString() === 'stored' ? stuck.decode(value, flags, signal) : Promise.resolve(value.toString()),
    };
    const warnings: unknown[] = [];
    const logger = { error() {}, info() {}, debug() {}, warn: (_message: string, err?: unknown) => warnings.push(err) };
    const cache = createClient({ servers: [server.address], codec, timeoutMs: TIMEOUT_MS, logger });
    cleanup(() => cache.close());
    expect(await cache.set({ key: 'k', value: 'stored' })).toBe(true);
    let loads = 0;
    const waited = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), TIMEOUT_MS + 2000));
    const { answer, ms } = await timed(() =>
      Promise.race([cache.fetch('k', () => `loaded-${++loads}`, { ttl: 60 }), waited]),
    );
    expect(answer).toBe('loaded-1');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toBeInstanceOf(TimeoutError);
    expect(warnings).toHaveLength(1);
    expect((warnings[0] as DecodeError).message).toMatch(/still decoding when the call's deadline/);
    expect(await cache.get('k')).toMatchObject({ ok: true, item: { value: 'loaded-1' } });
    expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
  });
});
