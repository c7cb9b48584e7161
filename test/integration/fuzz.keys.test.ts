import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRejected, promiseOf } from '../support/expectRejected';
import { FuzzTarget } from '../support/FuzzTarget';
import { keys } from '../support/hostileInputs';
import { ERRORS, keyIsValid } from '../support/inputContract';

// Keys, random and hostile, through the calls that take them: a valid one round-trips, any other
// rejects typed before I/O, and each is read once.
const target = FuzzTarget.forThisFile();

describe('fuzz: the public API against a real memcached', () => {
  it('keys: valid ones round-trip through get, set, getMulti and delete; others reject with ERR_INVALID_KEY', async () => {
    await fc.assert(
      fc.asyncProperty(keys, async (key) => {
        if (!keyIsValid(key)) {
          await expectRejected(() => target.cache.get(key as string), ERRORS.key);
          await expectRejected(() => target.cache.set({ key: key as string, value: 'v' }), ERRORS.key);
          await expectRejected(() => target.cache.delete(key as string), ERRORS.key);
          await expectRejected(() => target.cache.getMulti(['fine', key as string]), ERRORS.key);
          return;
        }
        const value = Buffer.from(`value of ${key}`);
        expect(await promiseOf(() => target.cache.set({ key, value, flags: 7 }))).toBe(true);
        target.sets++;
        expect(await promiseOf(() => target.cache.get(key))).toEqual({ ok: true, item: { key, value, flags: 7 } });
        const many = await promiseOf(() => target.cache.getMulti([key, 'never-set']));
        expect(many.ok && [...many.items.entries()]).toEqual([[key, { key, value, flags: 7 }]]);
        expect(await promiseOf(() => target.cache.delete(key))).toBe(true);
        expect(await promiseOf(() => target.cache.get(key))).toEqual({ ok: true, item: undefined });
      }),
      { numRuns: 300 },
    );
    await expectRejected(() => target.cache.getMulti('not-an-array' as unknown as string[]), ERRORS.key);
    expect(await target.cache.getMulti([])).toEqual({ ok: true, items: new Map(), unavailable: [] });
    await target.expectUntouched();
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
    expect(await target.cache.set(item)).toBe(true);
    target.sets++;
    expect(reads).toBe(1);
    expect((await target.cache.get('sneaky')).ok).toBe(true);

    const keys = ['sneaky'];
    let keyReads = 0;
    Object.defineProperty(keys, 0, {
      get: () => (++keyReads === 1 ? 'sneaky' : 'y'.repeat(300)),
    });
    const many = await target.cache.getMulti(keys);
    expect(many.ok && [...many.items.keys()]).toEqual(['sneaky']);
    await target.expectUntouched();
  });
});
