import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterRangeError } from '../../src/core/errors';
import { expectRejected, promiseOf } from '../support/expectRejected';
import { FuzzTarget } from '../support/FuzzTarget';
import { keys, nonStrings } from '../support/hostileInputs';
import { casIsValid, counterIsValid, ERRORS, expirationIsValid, keyIsValid } from '../support/inputContract';
import { textStats } from '../support/memcachedText';
import { PROTOCOL } from '../support/protocol';

// Every command but get, set, getMulti and delete, with random and hostile arguments; memcached's
// own counters show that only what passed validation reached it.
const target = FuzzTarget.forThisFile();

describe('fuzz: the public API against a real memcached', () => {
  it('every other command: valid input answers (refusals included) and counts nothing; bad input rejects typed, before I/O', async () => {
    const { cache } = target;
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
    const statsBefore = await textStats(target.server.port);
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
    const after = await textStats(target.server.port);
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
    target.sets += stores;
    target.connectionsBefore += 2; // this test's own two stats requests
    await target.expectUntouched();
  });
});
