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

  it('rejects a missing options object', () => {
    expect(() => resolveOptions(undefined as never)).toThrow(InvalidOptionError);
  });
});
