import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, StateChange } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { CounterRangeError, InvalidInputError } from '../../src/core/errors';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { textStats } from '../support/memcachedText';
import { guardProcess } from '../support/processGuard';
import { LINE_PROTOCOL, PROTOCOL } from '../support/protocol';

// The public API under random and hostile input, against a real memcached behind a counting
// proxy. For every input: the call answers or rejects with the documented typed error (never
// throws synchronously, never crashes), rejected input never reaches the socket, memcached never
// hangs up on this client, and nothing counts toward healing (allowedFailuresBeforeHealing is 1,
// so a single counted failure would show as a state change).

const ERRORS = {
  key: 'ERR_INVALID_KEY',
  value: 'ERR_INVALID_VALUE',
  flags: 'ERR_INVALID_FLAGS',
  expiration: 'ERR_INVALID_EXPIRATION',
  item: 'ERR_INVALID_ITEM',
  counter: 'ERR_INVALID_COUNTER',
  cas: 'ERR_INVALID_CAS',
} as const;

// The input contract, written out independently of src/validation.ts.
const keyIsValid = (key: unknown): key is string =>
  typeof key === 'string' &&
  key.length > 0 &&
  Buffer.byteLength(key, 'utf8') <= 250 &&
  key.isWellFormed() &&
  ![...key].some((c) => c.codePointAt(0)! <= 0x20 || (c.codePointAt(0)! >= 0x7f && c.codePointAt(0)! <= 0x9f));
const uint32IsValid = (n: unknown): boolean =>
  n === undefined || n === null || (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 2 ** 32);
// memcached reads more than 30 days as a Unix time: one already past is refused (the item would vanish).
const isPastUnixTime = (n: unknown): boolean => typeof n === 'number' && n > 2_592_000 && n <= Date.now() / 1000;
// memcached reads the meta and text protocols' expirations as signed 32-bit numbers: the client refuses more.
const EXPIRATION_LIMIT = LINE_PROTOCOL ? 2 ** 31 : 2 ** 32;
const expirationIsValid = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < EXPIRATION_LIMIT && !isPastUnixTime(n);
// An absent delta is 1.
const counterIsValid = (n: unknown): boolean =>
  n === undefined ||
  (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) ||
  (typeof n === 'bigint' && n >= 0n && n < 2n ** 64n);
// 0 is no token: memcached would read it as an unconditional set.
const casIsValid = (n: unknown): boolean => typeof n === 'bigint' && n >= 1n && n < 2n ** 64n;

let server: MemcachedProcess;
let proxy: FaultProxy;
let cache: Client;
const changes: StateChange[] = [];
const guard = guardProcess();
let connectionsBefore: number;
// Requests that passed validation and so reached memcached, to compare with its own counters.
let sets = 0;
let before: Record<string, number>;

beforeAll(async () => {
  server = await startMemcached();
  proxy = await FaultProxy.start({ port: server.port });
  // A generous deadline: the 4 MB values must not time out on a loaded machine.
  cache = createClient({ servers: proxy.address, timeoutMs: 5000, allowedFailuresBeforeHealing: 1 });
  cache.subscribe((change) => changes.push(change));
  expect(await cache.set({ key: 'warm', value: 'up' })).toBe(true);
  sets++;
  before = await textStats(server.port);
  connectionsBefore = before.total_connections!;
});

afterAll(async () => {
  await cache.close();
  guard.dispose();
  await proxy.close();
  await server.stop();
});

/** The client's own connection is the only one it ever opened, and it is still up and uncounted. */
async function expectUntouched(): Promise<void> {
  expect(changes, 'state changes (a counted failure)').toEqual([]);
  expect(cache.state).toBe('connected');
  expect(cache.connectionActor().getSnapshot().context.failures).toBe(0);
  expect(proxy.serverClosed, 'connections memcached closed').toBe(0);
  expect(proxy.accepted, 'connections the client opened').toBe(1);
  expect(proxy.connections).toBe(1);
  const stats = await textStats(server.port);
  // +1: the connection of this very stats request.
  expect(stats.total_connections).toBe(connectionsBefore + 1);
  connectionsBefore = stats.total_connections!;
  expect(stats.cmd_set! - before.cmd_set!, 'sets that reached memcached').toBe(sets - 1);
  expect(guard.errors).toEqual([]);
}

/** Calls `call` and returns its promise; a synchronous throw fails the property. */
function promiseOf<T>(call: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  expect(() => {
    pending = call();
  }).not.toThrow();
  return pending!;
}

async function expectRejected(call: () => Promise<unknown>, code: string): Promise<void> {
  const error = await promiseOf(call).then(
    (value) => {
      throw new Error(`expected a rejection with ${code}, got ${String(value)}`);
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error).toMatchObject({ code });
}

// Strings of an exact UTF-8 byte length made of one repeated character: the 250-byte limit seen by
// 1-, 2-, 3- and 4-byte characters (the last is two UTF-16 units).
const nearTheLimit = fc
  .tuple(fc.integer({ min: 240, max: 260 }), fc.constantFrom('a', 'é', '€', '😀'))
  .map(([bytes, char]) => {
    const width = Buffer.byteLength(char);
    return char.repeat(Math.floor(bytes / width)) + 'a'.repeat(bytes % width);
  });
const loneSurrogates = fc
  .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 }))
  .map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`);
const withWhitespaceOrControl = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 10, unit: 'grapheme-ascii' }),
    fc.constantFrom(' ', '\t', '\n', '\r', '\0', '\x7f', '\x85', '\v', '\f', '\x1b'),
    fc.string({ maxLength: 10, unit: 'grapheme-ascii' }),
  )
  .map(([a, bad, b]) => a + bad + b);
const nonStrings = fc.anything({ withNullPrototype: true, withBigInt: true, withTypedArray: true, withMap: true });
const keys = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 260 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  nearTheLimit,
  loneSurrogates,
  withWhitespaceOrControl,
  fc.constantFrom('', 'a'.repeat(250), 'a'.repeat(251), ' ', 'ключ', '鍵', '🔑'),
  nonStrings,
);

describe('fuzz: the public API against a real memcached', () => {
  it('keys: valid ones round-trip through get, set, getMulti and delete; others reject with ERR_INVALID_KEY', async () => {
    await fc.assert(
      fc.asyncProperty(keys, async (key) => {
        if (!keyIsValid(key)) {
          await expectRejected(() => cache.get(key as string), ERRORS.key);
          await expectRejected(() => cache.set({ key: key as string, value: 'v' }), ERRORS.key);
          await expectRejected(() => cache.delete(key as string), ERRORS.key);
          await expectRejected(() => cache.getMulti(['fine', key as string]), ERRORS.key);
          return;
        }
        const value = Buffer.from(`value of ${key}`);
        expect(await promiseOf(() => cache.set({ key, value, flags: 7 }))).toBe(true);
        sets++;
        expect(await promiseOf(() => cache.get(key))).toEqual({ ok: true, item: { key, value, flags: 7 } });
        const many = await promiseOf(() => cache.getMulti([key, 'never-set']));
        expect(many.ok && [...many.items.entries()]).toEqual([[key, { key, value, flags: 7 }]]);
        expect(await promiseOf(() => cache.delete(key))).toBe(true);
        expect(await promiseOf(() => cache.get(key))).toEqual({ ok: true, item: undefined });
      }),
      { numRuns: 300 },
    );
    await expectRejected(() => cache.getMulti('not-an-array' as unknown as string[]), ERRORS.key);
    expect(await cache.getMulti([])).toEqual({ ok: true, items: new Map(), unavailable: [] });
    await expectUntouched();
  });

  it('values: Buffers and strings round-trip byte for byte; anything else rejects with ERR_INVALID_VALUE', async () => {
    const values = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 2000 }),
      loneSurrogates,
      fc.uint8Array({ maxLength: 4000 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom('', Buffer.alloc(0)),
      nonStrings,
    );
    await fc.assert(
      fc.asyncProperty(values, async (value) => {
        if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
          await expectRejected(() => cache.set({ key: 'v', value: value as string }), ERRORS.value);
          return;
        }
        expect(await promiseOf(() => cache.set({ key: 'v', value }))).toBe(true);
        sets++;
        // A string is stored as its UTF-8 bytes (a lone surrogate becomes U+FFFD, as Buffer.from does).
        const stored = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
        expect(await cache.get('v')).toEqual({ ok: true, item: { key: 'v', value: stored, flags: 0 } });
      }),
      { numRuns: 200 },
    );
    await expectUntouched();
  });

  it('values over memcached item size limit: set answers false (server), nothing counted, connection kept', async () => {
    // memcached's default limit is 1 MB per item, key and header included: the server decides,
    // answers "Value too large" and swallows the body; the connection stays up.
    const MB = 1024 * 1024;
    for (const [size, fits] of [
      [MB - 1024, true],
      [MB, false],
      [MB + 1, false],
      [4 * MB, false],
    ] as const) {
      const value = Buffer.alloc(size, 0x61);
      const stored = await cache.set({ key: `big-${size}`, value });
      // memcached does not count a refused set in cmd_set.
      if (fits) sets++;
      expect(stored, `${size} bytes`).toBe(fits);
      const got = await cache.get(`big-${size}`);
      expect(got.ok && got.item?.value.length).toBe(fits ? size : undefined);
    }
    await expectUntouched();
  });

  it('flags and expirations: whole numbers in [0, 2^32) (expirations over meta and text: [0, 2^31)) are stored (but a Unix time already past); others reject with their typed error', async () => {
    const numbers = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.constantFrom(0, -0, 2 ** 32 - 1, 2 ** 32, -1, 0.5, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, 1e300),
      fc.double(),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      nonStrings,
    );
    await fc.assert(
      fc.asyncProperty(numbers, numbers, async (flags, expiration) => {
        const item = { key: 'fe', value: 'x', flags: flags as number, expiration: expiration as number };
        if (!uint32IsValid(flags)) return expectRejected(() => cache.set(item), ERRORS.flags);
        const absent = expiration === undefined || expiration === null;
        if (!absent && !expirationIsValid(expiration)) {
          return expectRejected(() => cache.set(item), ERRORS.expiration);
        }
        expect(await promiseOf(() => cache.set({ ...item, expiration: 0 }))).toBe(true);
        sets++;
        const got = await cache.get('fe');
        // + 0: -0 is a valid 0 and comes back as 0.
        expect(got.ok && got.item?.flags).toBe(((flags as number | null | undefined) ?? 0) + 0);
        // A Unix time ahead of now, or seconds up to 30 days: stored.
        expect(await promiseOf(() => cache.set(item))).toBe(true);
        sets++;
      }),
      { numRuns: 300 },
    );
    await expectUntouched();
  });

  it('set(item) with anything but an item object rejects with ERR_INVALID_ITEM (null and undefined are a no-op)', async () => {
    await fc.assert(
      fc.asyncProperty(nonStrings, async (item) => {
        if (item === null || item === undefined) {
          expect(await promiseOf(() => cache.set(item))).toBe(true);
          return;
        }
        if (typeof item !== 'object' || Array.isArray(item)) {
          return expectRejected(() => cache.set(item as never), ERRORS.item);
        }
        // An object with a field an item does not have: refused as an item, whatever its key.
        const fields = ['key', 'value', 'flags', 'expiration'];
        if (Object.keys(item).some((name) => !fields.includes(name))) {
          return expectRejected(() => cache.set(item as never), ERRORS.item);
        }
        // An object without a valid key: the key is checked next.
        const key = (item as { key?: unknown }).key;
        if (!keyIsValid(key)) return expectRejected(() => cache.set(item as never), ERRORS.key);
        // A rare object with a valid key: it answers, or rejects for its value, flags or expiration.
        await promiseOf(() => cache.set(item as never)).then(
          () => sets++,
          (err: unknown) => expect(err).toBeInstanceOf(InvalidInputError),
        );
      }),
      { numRuns: 300 },
    );
    await expectUntouched();
  });

  it('reads each input once: a getter cannot slip an invalid key past validation', async () => {
    let reads = 0;
    const item = {
      get key() {
        reads++;
        // Valid when checked, 300 bytes when sent, if it were read twice: memcached would close
        // the connection and the client would count an outage.
        return reads === 1 ? 'sneaky' : 'x'.repeat(300);
      },
      value: 'v',
    };
    expect(await cache.set(item)).toBe(true);
    sets++;
    expect(reads).toBe(1);
    expect((await cache.get('sneaky')).ok).toBe(true);

    const keys = ['sneaky'];
    let keyReads = 0;
    Object.defineProperty(keys, 0, {
      get: () => (++keyReads === 1 ? 'sneaky' : 'y'.repeat(300)),
    });
    const many = await cache.getMulti(keys);
    expect(many.ok && [...many.items.keys()]).toEqual(['sneaky']);
    await expectUntouched();
  });

  it('every other command: valid input answers (refusals included) and counts nothing; bad input rejects typed, before I/O', async () => {
    const numbers = fc.oneof(
      fc.nat(),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 53, 2 ** 32 - 1, -1, 0.5, Number.NaN, -1n, 2n ** 64n, '1', null),
      nonStrings,
    );
    const someKeys = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'n', 'numeric', 'ключ') },
      { weight: 1, arbitrary: keys },
    );
    const call = fc.record({
      command: fc.constantFrom(
        'add',
        'replace',
        'append',
        'prepend',
        'gets',
        'cas',
        'incr',
        'decr',
        'touch',
        'gat',
        'setMulti',
        'deleteMulti',
      ),
      key: someKeys,
      arg: numbers,
      opts: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant({ timeoutMs: 5000 }) },
      ),
    });
    const reached: Record<string, number> = {};
    const statsBefore = await textStats(server.port);
    await fc.assert(
      fc.asyncProperty(call, async ({ command, key, arg, opts }) => {
        const o = opts as never;
        const k = key as string;
        const runs: Record<string, { valid: string | undefined; run: () => Promise<unknown> }> = {
          add: { valid: undefined, run: () => cache.add({ key: k, value: 'a' }, o) },
          replace: { valid: undefined, run: () => cache.replace({ key: k, value: 'r' }, o) },
          append: { valid: undefined, run: () => cache.append(k, '1', o) },
          prepend: { valid: undefined, run: () => cache.prepend(k, '1', o) },
          gets: { valid: undefined, run: () => cache.gets(k, o) },
          cas: {
            valid: casIsValid(arg) ? undefined : ERRORS.cas,
            run: () => cache.cas({ key: k, value: 'c', cas: arg as never }, o),
          },
          incr: { valid: counterIsValid(arg) ? undefined : ERRORS.counter, run: () => cache.incr(k, arg as number, o) },
          decr: { valid: counterIsValid(arg) ? undefined : ERRORS.counter, run: () => cache.decr(k, arg as number, o) },
          touch: {
            valid: expirationIsValid(arg) ? undefined : ERRORS.expiration,
            run: () => cache.touch(k, arg as number, o),
          },
          gat: {
            valid: expirationIsValid(arg) ? undefined : ERRORS.expiration,
            run: () => cache.gat(k, arg as number, o),
          },
          setMulti: {
            valid: undefined,
            run: () =>
              cache.setMulti(
                [
                  { key: k, value: 'm' },
                  { key: k, value: 'n' },
                ],
                o,
              ),
          },
          deleteMulti: { valid: undefined, run: () => cache.deleteMulti([k, 'never-set', k], o) },
        };
        const { valid, run } = runs[command]!;
        const error = !keyIsValid(key) ? ERRORS.key : valid;
        if (error) return expectRejected(run, error);
        reached[command] = (reached[command] ?? 0) + 1;
        const answer = (await promiseOf(run).catch((err: unknown) => {
          // A number delta cannot answer a counter above 2^53 - 1: the documented rejection.
          expect(err, `${command} ${String(key)}`).toBeInstanceOf(CounterRangeError);
          return { ok: true };
        })) as { ok: boolean; reason?: string };
        // memcached's answers, a non-numeric value for a counter included: never an outage.
        if (!answer.ok) expect(answer.reason, `${command} ${String(key)}`).toBe('server');
        // memcached counts a counter's hit or miss, not its refusal of a non-numeric value.
        else if (command === 'incr' || command === 'decr')
          reached[`${command} ok`] = (reached[`${command} ok`] ?? 0) + 1;
      }),
      { numRuns: 400 },
    );
    // What passed validation, and only that, reached memcached: its own counters agree.
    const after = await textStats(server.port);
    const delta = (name: string) => after[name]! - statsBefore[name]!;
    const counted = (...names: string[]) => names.reduce((sum, name) => sum + (reached[name] ?? 0), 0);
    expect(delta('incr_hits') + delta('incr_misses'), 'incr').toBe(counted('incr ok'));
    expect(delta('decr_hits') + delta('decr_misses'), 'decr').toBe(counted('decr ok'));
    expect(delta('cas_hits') + delta('cas_misses') + delta('cas_badval'), 'cas').toBe(counted('cas'));
    if (PROTOCOL === 'meta') {
      // Over meta, touch and gat are `mg ... T`: memcached 1.6.18 counts a hit in cmd_touch and a
      // miss as a get miss (get_misses, which other commands of this run also move).
      expect(delta('cmd_touch'), 'touch and gat').toBeLessThanOrEqual(counted('touch', 'gat'));
      expect(delta('cmd_touch') + delta('get_misses'), 'touch and gat').toBeGreaterThanOrEqual(counted('touch', 'gat'));
    } else expect(delta('cmd_touch'), 'touch and gat').toBe(counted('touch', 'gat'));
    // Storage commands, each setMulti storing one item (its repeated key once).
    const stores = counted('add', 'replace', 'append', 'prepend', 'cas', 'setMulti');
    expect(delta('cmd_set'), 'stores').toBe(stores);
    sets += stores;
    connectionsBefore += 2; // this test's own two stats requests
    await expectUntouched();
  });
});
