import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors';
import { expectRejected, promiseOf } from '../support/expectRejected';
import { FuzzTarget } from '../support/FuzzTarget';
import { loneSurrogates, nonStrings } from '../support/hostileInputs';
import { ERRORS, expirationIsValid, keyIsValid, uint32IsValid } from '../support/inputContract';

// What set stores, random and hostile: values (up to past memcached's item size), flags,
// expirations and the item object itself.
const target = FuzzTarget.forThisFile();

describe('fuzz: the public API against a real memcached', () => {
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
          await expectRejected(() => target.cache.set({ key: 'v', value: value as string }), ERRORS.value);
          return;
        }
        expect(await promiseOf(() => target.cache.set({ key: 'v', value }))).toBe(true);
        target.sets++;
        // A string is stored as its UTF-8 bytes (a lone surrogate becomes U+FFFD, as Buffer.from does).
        const stored = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
        expect(await target.cache.get('v')).toEqual({ ok: true, item: { key: 'v', value: stored, flags: 0 } });
      }),
      { numRuns: 200 },
    );
    await target.expectUntouched();
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
      const stored = await target.cache.set({ key: `big-${size}`, value });
      // memcached does not count a refused set in cmd_set.
      if (fits) target.sets++;
      expect(stored, `${size} bytes`).toBe(fits);
      const got = await target.cache.get(`big-${size}`);
      expect(got.ok && got.item?.value.length).toBe(fits ? size : undefined);
    }
    await target.expectUntouched();
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
        if (!uint32IsValid(flags)) return expectRejected(() => target.cache.set(item), ERRORS.flags);
        const absent = expiration === undefined || expiration === null;
        if (!absent && !expirationIsValid(expiration)) {
          return expectRejected(() => target.cache.set(item), ERRORS.expiration);
        }
        expect(await promiseOf(() => target.cache.set({ ...item, expiration: 0 }))).toBe(true);
        target.sets++;
        const got = await target.cache.get('fe');
        // + 0: -0 is a valid 0 and comes back as 0.
        expect(got.ok && got.item?.flags).toBe(((flags as number | null | undefined) ?? 0) + 0);
        // A Unix time ahead of now, or seconds up to 30 days: stored.
        expect(await promiseOf(() => target.cache.set(item))).toBe(true);
        target.sets++;
      }),
      { numRuns: 300 },
    );
    await target.expectUntouched();
  });

  it('set(item) with anything but an item object rejects with ERR_INVALID_ITEM (null and undefined are a no-op)', async () => {
    await fc.assert(
      fc.asyncProperty(nonStrings, async (item) => {
        if (item === null || item === undefined) {
          expect(await promiseOf(() => target.cache.set(item))).toBe(true);
          return;
        }
        if (typeof item !== 'object' || Array.isArray(item)) {
          return expectRejected(() => target.cache.set(item as never), ERRORS.item);
        }
        // An object with a field an item does not have: refused as an item, whatever its key.
        const fields = ['key', 'value', 'flags', 'expiration'];
        if (Object.keys(item).some((name) => !fields.includes(name))) {
          return expectRejected(() => target.cache.set(item as never), ERRORS.item);
        }
        // An object without a valid key: the key is checked next.
        const key = (item as { key?: unknown }).key;
        if (!keyIsValid(key)) return expectRejected(() => target.cache.set(item as never), ERRORS.key);
        // A rare object with a valid key: it answers, or rejects for its value, flags or expiration.
        await promiseOf(() => target.cache.set(item as never)).then(
          () => target.sets++,
          (err: unknown) => expect(err).toBeInstanceOf(InvalidInputError),
        );
      }),
      { numRuns: 300 },
    );
    await target.expectUntouched();
  });
});
