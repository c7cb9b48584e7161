import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createClient } from '../../src';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { LINE_PROTOCOL, PROTOCOL } from '../support/protocol';

// Every command that takes an expiration, at the edges of what memcached can read: an expiration
// the client accepts must keep the item as it would on the other protocol (never `true` and then a
// miss); one it cannot send faithfully is refused before any I/O with a typed error naming the limit.
// All three values are absolute Unix times well in the future.
const EDGES = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
// The meta protocol's `T` and `N` flags, and the text protocol's expirations, are signed 32-bit
// numbers in memcached (1.6.18 reads 2^31 as a time in the past); the binary protocol's are unsigned.
const LIMIT = LINE_PROTOCOL ? 2 ** 31 - 1 : 2 ** 32 - 1;

type Step = (cache: Client, key: string, expiration: number) => Promise<unknown>;

/** Each command, run on a key it leaves (when accepted) holding an item; `ok` is its success. */
const COMMANDS: [name: string, step: Step, ok: unknown][] = [
  ['set', (c, key, expiration) => c.set({ key, value: 'v', expiration }), true],
  ['add', (c, key, expiration) => c.add({ key, value: 'v', expiration }), { ok: true, stored: true }],
  [
    'replace',
    async (c, key, expiration) => {
      await c.set({ key, value: 'old' });
      return c.replace({ key, value: 'v', expiration });
    },
    { ok: true, stored: true },
  ],
  [
    'cas',
    async (c, key, expiration) => {
      await c.set({ key, value: 'old' });
      const got = await c.gets(key);
      if (!got.ok || got.item === undefined) throw new Error('gets missed');
      return c.cas({ key, value: 'v', expiration, cas: got.item.cas });
    },
    { ok: true, stored: true },
  ],
  [
    'touch',
    async (c, key, expiration) => {
      await c.set({ key, value: 'v' });
      return c.touch(key, expiration);
    },
    { ok: true, found: true },
  ],
  [
    'gat',
    async (c, key, expiration) => {
      await c.set({ key, value: 'v' });
      const got = await c.gat(key, expiration);
      return got.ok && got.item !== undefined;
    },
    true,
  ],
  ['incr with initial', (c, key, expiration) => c.incr(key, 1, { initial: 5, expiration }), { ok: true, value: 5 }],
  ['decr with initial', (c, key, expiration) => c.decr(key, 1, { initial: 5, expiration }), { ok: true, value: 5 }],
  ['fetch', (c, key, expiration) => c.fetch(key, () => 'v', { ttl: expiration }), Buffer.from('v')],
  [
    'setMulti',
    (c, key, expiration) => c.setMulti([{ key, value: 'v', expiration }]),
    { ok: true, failed: [], unavailable: [] },
  ],
];

/** What a refused command leaves under its key: the item its setup stored, or none. */
const BEFORE: Record<string, string> = { replace: 'old', cas: 'old', touch: 'v', gat: 'v' };

let memcached: MemcachedProcess;
let cache: Client;
let n = 0;

beforeAll(async () => {
  memcached = await startMemcached();
  cache = createClient({ servers: memcached.address, timeoutMs: 2000, allowedFailuresBeforeHealing: 1 });
});
afterAll(async () => {
  // Nothing here counted as a failure.
  expect(cache.state).toBe('connected');
  await cache.close();
  await memcached.stop();
});

describe(`expirations mean what they say over ${PROTOCOL}, or are refused before any I/O`, () => {
  it.each(COMMANDS)(
    '%s: an accepted expiration keeps the item; a refused one leaves it as it was',
    async (name, step, ok) => {
      for (const expiration of EDGES) {
        const key = `exp:${name.replace(/ /g, '-')}:${++n}`;
        // The counter's "do not create" marker of the binary protocol, refused as before.
        const marker = expiration === 2 ** 32 - 1 && name.includes('initial');
        let answer: unknown;
        let refused: unknown;
        try {
          answer = await step(cache, key, expiration);
        } catch (err) {
          refused = err;
        }
        const what = `${name} with expiration ${expiration}`;
        if (expiration > LIMIT || marker) {
          expect(refused, what).toMatchObject({ code: 'ERR_INVALID_EXPIRATION' });
          if (!marker) expect(String((refused as Error).message), what).toContain(`${LIMIT}`);
          // Whatever the command needed beforehand is still there, untouched (no request was sent).
          const left = await cache.get(key);
          expect(left.ok && (left.item?.value.toString() ?? 'absent'), what).toBe(BEFORE[name] ?? 'absent');
        } else {
          expect(refused, what).toBeUndefined();
          if (Buffer.isBuffer(ok)) expect(answer, what).toEqual(ok);
          else if (typeof ok === 'object') expect(answer, what).toMatchObject(ok as object);
          else expect(answer, what).toBe(ok);
          const got = await cache.get(key);
          expect(got.ok && got.item !== undefined, `${what}: the item is still there`).toBe(true);
        }
      }
    },
  );

  it('fetch: a ttl that its staleTtl pushes past the limit is refused, and nothing is loaded or stored', async () => {
    const key = `exp:fetch-stale:${++n}`;
    let loads = 0;
    const loader = () => {
      loads++;
      return 'v';
    };
    const refused = await cache.fetch(key, loader, { ttl: LIMIT - 10, staleTtl: 60 }).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'ERR_INVALID_EXPIRATION' });
    expect(String((refused as Error).message)).toContain(`${LIMIT}`);
    expect(loads).toBe(0);
    expect(await cache.get(key)).toEqual({ ok: true, item: undefined });
  });
});
