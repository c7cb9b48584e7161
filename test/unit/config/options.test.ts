import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/config/options';
import { InvalidOptionError } from '../../../src/core/errors';

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions({ servers: '127.0.0.1:11211' });
    expect(o).toMatchObject({
      timeoutMs: 100,
      connectTimeoutMs: 200,
      allowedFailuresBeforeHealing: 10,
      recoveryDelayMs: 10_000,
      maxRecoveryDelayMs: 60_000,
      distribution: 'ketama',
    });
  });

  it.each(['ketama', 'modula', 'memjs'] as const)('takes distribution %s', (distribution) => {
    expect(resolveOptions({ servers: 'h', distribution }).distribution).toBe(distribution);
  });

  it('keeps a given name and names every client without one differently', () => {
    expect(resolveOptions({ servers: 'h', name: 'checkout' }).name).toBe('checkout');
    const [a, b] = [resolveOptions({ servers: 'h' }).name, resolveOptions({ servers: 'h' }).name];
    expect(a).toMatch(/^reconnecting-memcached-\d+$/);
    expect(b).toMatch(/^reconnecting-memcached-\d+$/);
    expect(a).not.toBe(b);
  });

  it('raises the default cap with a long base delay instead of failing', () => {
    expect(resolveOptions({ servers: 'h', recoveryDelayMs: 90_000 }).maxRecoveryDelayMs).toBe(90_000);
  });

  it.each([
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: -5 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: '100' }],
    ['connectTimeoutMs', { connectTimeoutMs: Number.POSITIVE_INFINITY }],
    ['allowedFailuresBeforeHealing', { allowedFailuresBeforeHealing: 0 }],
    ['allowedFailuresBeforeHealing', { allowedFailuresBeforeHealing: 2.5 }],
    ['recoveryDelayMs', { recoveryDelayMs: -1 }],
    ['maxRecoveryDelayMs', { recoveryDelayMs: 1000, maxRecoveryDelayMs: 999 }],
    ['maxRecoveryDelayMs', { maxRecoveryDelayMs: 2 ** 31 - 1 }],
    ['logger', { logger: { error() {} } }],
    ['inspect', { inspect: 42 }],
    ['clock', { clock: { now: () => 0 } }],
    ['distribution', { distribution: 'consistent' }],
    ['servers', { servers: ['a:1', 'a:1'] }],
    ['name', { name: '' }],
    ['name', { name: 42 }],
  ])('rejects a bad %s with a TypeError naming it, the value and what was expected', (name, bad) => {
    let caught: unknown;
    try {
      resolveOptions({ servers: 'h', ...(bad as object) });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect(caught).toBeInstanceOf(InvalidOptionError);
    expect((caught as InvalidOptionError).option).toBe(name);
    expect((caught as InvalidOptionError).code).toBe('ERR_INVALID_OPTION');
    expect((caught as Error).message).toMatch(new RegExp(`^Invalid option ${name}: .+; expected .+`));
  });

  // Twice the configured timeoutMs, not twice the default one: the test above cannot tell them apart.
  it('defaults connectTimeoutMs to twice the configured timeoutMs', () => {
    expect(resolveOptions({ servers: 'h', timeoutMs: 40 }).connectTimeoutMs).toBe(80);
    expect(resolveOptions({ servers: 'h', timeoutMs: 1234 }).connectTimeoutMs).toBe(2468);
    expect(resolveOptions({ servers: 'h', timeoutMs: 40, connectTimeoutMs: 7 }).connectTimeoutMs).toBe(7);
  });

  // A misspelt option is refused, naming the option meant, rather than ignored for the default.
  it.each([
    ['timeoutMS', 'timeoutMs'],
    ['timeout', 'timeoutMs'],
    ['connectTimeoutMS', 'connectTimeoutMs'],
    ['allowedFailuresBeforeHeal', 'allowedFailuresBeforeHealing'],
    ['server', 'servers'],
    ['maxRecoveryDelay', 'maxRecoveryDelayMs'],
  ])('rejects the unknown option %s, naming the closest known one (%s)', (typo, known) => {
    let caught: unknown;
    try {
      resolveOptions({ servers: 'h', [typo]: 'secret-looking-value' } as never);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidOptionError);
    expect((caught as InvalidOptionError).option).toBe(typo);
    expect((caught as Error).message).toContain(`did you mean ${known}?`);
    // The value of an unknown option may be a secret: it is not in the message.
    expect((caught as Error).message).not.toContain('secret-looking-value');
  });

  it('rejects an unknown option far from every known one, listing the known ones', () => {
    expect(() => resolveOptions({ servers: 'h', zzzzzzzz: 1 } as never)).toThrow(/zzzzzzzz.*one of servers, /);
  });

  // The probe's deadline is connectTimeoutMs + timeoutMs; past 2^31-1 ms Node fires a timer after
  // 1 ms, so every probe would fail and the client never heal.
  it.each([
    ['connectTimeoutMs', { connectTimeoutMs: 2 ** 31 - 1 }],
    ['connectTimeoutMs', { timeoutMs: 2 ** 30, connectTimeoutMs: 2 ** 30 }],
    ['timeoutMs', { timeoutMs: 7.2e8 }],
    ['timeoutMs', { timeoutMs: 2 ** 31 - 1 }],
  ])('rejects %s when a sum of durations would pass the timer limit', (name, bad) => {
    expect(() => resolveOptions({ servers: 'h', ...bad })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: name }),
    );
  });

  it('accepts the largest durations whose sums fit a timer', () => {
    const max = 2 ** 31 - 1;
    expect(resolveOptions({ servers: 'h', timeoutMs: Math.floor(max / 3) }).connectTimeoutMs).toBe(
      2 * Math.floor(max / 3),
    );
    expect(resolveOptions({ servers: 'h', timeoutMs: 1, connectTimeoutMs: max - 1 }).connectTimeoutMs).toBe(max - 1);
  });

  it('rejects a missing options object', () => {
    expect(() => resolveOptions(undefined as never)).toThrow(InvalidOptionError);
  });
});
