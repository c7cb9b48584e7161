import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { systemClock, unixSecondsOf } from '../../../src/core/clock';
import { closestName, didYouMean, unknownField } from '../../../src/core/closestName';

describe('closestName and didYouMean', () => {
  const known = ['key', 'value', 'flags', 'expiration'];

  it('names a near typo, an alias, or nothing', () => {
    expect(closestName('flag', known)).toBe('flags');
    expect(closestName('VALUE', known)).toBe('value');
    expect(closestName('ttl', known)).toBeUndefined();
    expect(closestName('ttl', known, { ttl: 'expiration' })).toBe('expiration');
    // An alias whose target this object does not have is no answer.
    expect(closestName('ttl', ['timeoutMs'], { ttl: 'expiration' })).toBeUndefined();
    expect(didYouMean('flag', known, undefined, 'field')).toBe('a known field: did you mean flags?');
    expect(didYouMean('zzzzzz', known)).toBe('one of key, value, flags, expiration');
  });

  it('unknownField: the first own field not known; inherited ones are skipped', () => {
    expect(unknownField({ key: 1, value: 2 }, known)).toBeUndefined();
    expect(unknownField({ key: 1, ttl: 2 }, known)).toBe('ttl');
    expect(unknownField(Object.assign(Object.create({ inherited: 1 }), { key: 1 }), known)).toBeUndefined();
    expect(unknownField(Object.assign(Object.create(null), { key: 1, nope: 2 }), known)).toBe('nope');
  });
});

describe('unixSecondsOf', () => {
  it('is the system time for the system clock, and moves with an injected clock', () => {
    const system = unixSecondsOf(systemClock)();
    expect(Math.abs(system - Date.now() / 1000)).toBeLessThan(2);
    const clock = new SimulatedClock();
    const unix = unixSecondsOf(clock);
    const start = unix();
    expect(Math.abs(start - Date.now() / 1000)).toBeLessThan(2);
    clock.increment(3_600_000);
    expect(unix() - start).toBe(3600);
  });
});
