import crypto from 'node:crypto';
import net from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import type { GetResult } from '../../src/api/results';
import { createClient } from '../../src/client/createClient';
import { COMPRESSED_FLAG, compressed } from '../../src/codec/compressed';
import { rawCodec } from '../../src/codec/rawCodec';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { PROTOCOL } from '../support/protocol';
import { zeroBomb } from '../support/zeroBomb';

// One stored item of about 1 MB that inflates to 1 GiB of zeros, read by 64 concurrent gets through
// compressed(): the inflation of all of them together must stay within a bounded amount of memory
// and time, off the event loop, and each read answers `reason: 'decode'`.

const MIB = 2 ** 20;
const READERS = 64;
// Room to receive the 64 MB the reads carry beside CPU-bound processes; the bounds are taken from it.
const TIMEOUT_MS = 3000;
// The promises: every call settled by its deadline + 250 ms, resident growth under 256 MB, the event
// loop never held over 50 ms by inflating. On a machine whose two cores are shared with CPU-bound
// processes, timers fire late and the loop is held now and then with nothing to inflate: each bound
// is taken past what the same run measured without inflating (how late calls that time out against
// a silent server settle; how long the same reads of as many uncompressed bytes held the loop).
// The bomb is read BOMB_READS times, each held to every bound but the loop's: inflating would hold
// the loop on every read, a pause of the machine only on some, so the loop's is the least hold.
const SETTLE_SLACK_MS = 250;
const MAX_RSS_GROWTH = 256 * 1e6;
const MAX_LOOP_BLOCK_MS = 50;
const BOMB_READS = 3;

let memcached: MemcachedProcess;
let reader: Client;
let bombBytes = 0;
let bombValue: Buffer;
let silent: net.Server;
// How late calls that time out settled in this run (the first test measures it).
let timeoutLateMs = 0;

beforeAll(async () => {
  // The bomb is a little over 1 MiB: memcached's default item size limit (-I 1m) is raised to hold it.
  memcached = await startMemcached({ args: ['-I', '2m'] });
  const bomb = zeroBomb(1024);
  bombBytes = bomb.length;
  bombValue = bomb;
  // The bomb is what it says: small zlib streams of the same build inflate to exactly their zeros.
  expect(zlib.inflateSync(zeroBomb(3)).equals(Buffer.alloc(3 * MIB))).toBe(true);
  const writer = createClient({ servers: memcached.address, timeoutMs: 5000 });
  expect(await writer.set({ key: 'bomb', value: bomb, flags: COMPRESSED_FLAG })).toBe(true);
  // As many bytes, not compressed: what reading them costs without any inflating, for comparison.
  expect(await writer.set({ key: 'plain', value: Buffer.alloc(bomb.length, 1) })).toBe(true);
  await writer.close();
  reader = createClient({
    servers: memcached.address,
    codec: compressed(rawCodec, { above: 1024 }),
    timeoutMs: TIMEOUT_MS,
  });
  // The connection is open before the baseline is taken.
  expect(await reader.get('absent')).toEqual({ ok: true, item: undefined });
});

/**
 * Keeps the 4 threads of libuv's pool busy with CPU work (as inflating keeps them) for about `ms`,
 * without anything on the event loop: what they take from the loop's thread on a shared machine.
 */
async function busyPool(ms: number): Promise<void> {
  const pbkdf2 = (iterations: number) =>
    new Promise<void>((resolve, reject) =>
      crypto.pbkdf2('p', 's', iterations, 32, 'sha256', (err) => (err ? reject(err) : resolve())),
    );
  const start = performance.now();
  await pbkdf2(20_000);
  const iterations = Math.ceil((20_000 * ms) / Math.max(1, performance.now() - start));
  await Promise.all(Array.from({ length: 4 }, () => pbkdf2(iterations)));
}

/**
 * `READERS` concurrent gets of `key`: how long the event loop was held at most (ms) while they ran,
 * and how much the resident set grew at its peak.
 */
async function readAll(
  key: string,
  settled: number[] = [],
  client: Client = reader,
): Promise<{ results: GetResult<Buffer>[]; blockMs: number; growth: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: READERS }, () =>
      client.get(key).then((result: GetResult<Buffer>) => {
        settled.push(performance.now() - start);
        return result;
      }),
    ),
  );
  loop.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { results, blockMs: loop.max / 1e6, growth: peak - baseline };
}

afterAll(async () => {
  await reader?.close();
  await memcached?.stop();
  silent?.close();
});

/**
 * How late (ms past `timeoutMs`) the last of `READERS` concurrent gets settles against a server that
 * accepts and never answers, and how long the loop was held meanwhile: this run's timer lateness.
 */
async function timeoutBaseline(): Promise<{ lateMs: number; blockMs: number }> {
  silent = net.createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  // Every call times out: none is cut short by the connection being dropped for its failures.
  const client = createClient({
    servers: `127.0.0.1:${port}`,
    timeoutMs: TIMEOUT_MS,
    allowedFailuresBeforeHealing: 10 * READERS,
  });
  try {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const start = performance.now();
    const results = await Promise.all(Array.from({ length: READERS }, () => client.get('k')));
    const lateMs = performance.now() - start - TIMEOUT_MS;
    loop.disable();
    for (const result of results) expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    return { lateMs, blockMs: loop.max / 1e6 };
  } finally {
    await client.close();
  }
}

describe(`a decompression bomb read by ${READERS} concurrent gets through compressed() (${PROTOCOL})`, () => {
  it('bounded memory, every call settled by its deadline with reason decode, the event loop never held long', async () => {
    expect(bombBytes).toBeLessThan(1.1 * MIB);
    // The same reads of as many bytes without compression, twice: the first warms the process up
    // (its buffers, the compiled code), the second is what the transport alone holds the loop.
    const warm = await readAll('plain');
    const plain = await readAll('plain');
    for (const result of plain.results) expect(result.ok && result.item?.value.length).toBe(bombBytes);
    const timeouts = await timeoutBaseline();
    timeoutLateMs = timeouts.lateMs;
    // The same reads again while the thread pool is as busy as inflating keeps it, by another
    // client: a read that times out there is the machine's load, and must not move the reader.
    const other = createClient({ servers: memcached.address, timeoutMs: TIMEOUT_MS });
    const busy = await Promise.all([readAll('plain', [], other), busyPool(500)]).finally(() => other.close());
    const baselineBlockMs = Math.max(warm.blockMs, plain.blockMs, timeouts.blockMs, busy[0].blockMs);

    const holds: number[] = [];
    for (let run = 0; run < BOMB_READS; run++) {
      const settled: number[] = [];
      const { results, blockMs, growth } = await readAll('bomb', settled);
      holds.push(blockMs);
      for (const result of results) {
        expect(result).toMatchObject({ ok: false, reason: 'decode', error: { code: 'ERR_DECODE' } });
      }
      const report = `read ${run + 1}: rss +${Math.round(growth / MIB)} MiB, last settled at ${Math.round(Math.max(...settled))} ms (timeouts ${Math.round(timeouts.lateMs)} ms late)`;
      expect(growth, report).toBeLessThan(MAX_RSS_GROWTH);
      expect(Math.max(...settled), report).toBeLessThan(TIMEOUT_MS + SETTLE_SLACK_MS + Math.max(0, timeouts.lateMs));
    }
    const report = `loop held up to ${holds.map(Math.round).join(', ')} ms by the reads of the bomb (${Math.round(baselineBlockMs)} ms without inflating)`;
    expect(Math.min(...holds), report).toBeLessThan(baselineBlockMs + MAX_LOOP_BLOCK_MS);
    // Nothing counted as an outage.
    expect(reader.state).toBe('connected');
    expect(reader.connectionActor().getSnapshot().context.failures).toBe(0);
  }, 60_000);

  it('a bomb whose limits let it inflate past the deadline: settled by it with reason decode, inflating stopped', async () => {
    // Limits as high as the bomb: only the call's deadline (its own timeoutMs) bounds the inflation.
    const codec = compressed(rawCodec, {
      above: 1024,
      maxDecompressedBytes: 2 ** 30,
      maxConcurrentDecompressedBytes: 2 ** 30,
    });
    const client = createClient({ servers: memcached.address, codec, timeoutMs: 5000 });
    try {
      expect(await client.get('absent')).toEqual({ ok: true, item: undefined });
      const timeoutMs = 150;
      const baseline = process.memoryUsage.rss();
      const start = performance.now();
      const result = await client.get('bomb', { timeoutMs });
      const settledMs = performance.now() - start;
      const growth = process.memoryUsage.rss() - baseline;
      // Summed up before asserting: a failure must not print a GiB.
      expect(result.ok ? `ok: ${result.item?.value.length} bytes` : result.error?.message).toMatch(
        /did not decode: .*still decoding when the call's deadline/,
      );
      expect(settledMs).toBeLessThan(timeoutMs + SETTLE_SLACK_MS + Math.max(0, timeoutLateMs));
      expect(growth).toBeLessThan(MAX_RSS_GROWTH);
      // Stopped, not left running: the process spends little CPU (the thread pool's included) after.
      const cpu = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const used = process.cpuUsage(cpu);
      expect((used.user + used.system) / 1000).toBeLessThan(100);
      expect(client.connectionActor().getSnapshot().context.failures).toBe(0);
    } finally {
      await client.close();
    }
  }, 60_000);

  it("fetch of a bomb: its inflation is held to the read's deadline, then it is a miss, loaded and stored over", async () => {
    const codec = compressed(rawCodec, {
      above: 1024,
      maxDecompressedBytes: 2 ** 30,
      maxConcurrentDecompressedBytes: 2 ** 30,
    });
    const timeoutMs = 150;
    const warnings: unknown[] = [];
    const logger = { error() {}, info() {}, debug() {}, warn: (_message: string, err?: unknown) => warnings.push(err) };
    const writer = createClient({ servers: memcached.address, timeoutMs: 5000 });
    const client = createClient({ servers: memcached.address, codec, timeoutMs, logger });
    try {
      // Its own copy of the bomb: the fetch stores over it.
      expect(await writer.set({ key: 'fetched-bomb', value: bombValue, flags: COMPRESSED_FLAG })).toBe(true);
      const start = performance.now();
      const fetched = client.fetch('fetched-bomb', () => 'loaded', { ttl: 60 }).then((value) => value.toString());
      const late = new Promise<string>((resolve) => setTimeout(() => resolve('still inflating'), timeoutMs + 5000));
      const value = await Promise.race([fetched, late]);
      const settledMs = performance.now() - start;
      expect(value).toBe('loaded');
      expect(settledMs).toBeLessThan(timeoutMs + SETTLE_SLACK_MS + Math.max(0, timeoutLateMs));
      expect(warnings).toHaveLength(1);
      expect((warnings[0] as Error).message).toMatch(/still decoding when the call's deadline/);
      const stored = await writer.get('fetched-bomb');
      expect(stored.ok && stored.item?.value.toString()).toBe('loaded');
      expect(client.connectionActor().getSnapshot().context.failures).toBe(0);
    } finally {
      await Promise.all([client.close(), writer.close()]);
    }
  }, 60_000);
});
