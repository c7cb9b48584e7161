import { describe, expect, it } from 'vitest';
import { EXPIRATION_LIMITS } from '../../../src/config/protocol';
import {
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidKeyError,
  InvalidValueError,
  ReconnectingMemcachedError,
} from '../../../src/core/errors';
import {
  validateExpiration,
  validateFlags,
  validateKey,
  validateKeys,
  validateValue,
} from '../../../src/core/validation';

describe('validateKey', () => {
  it.each(['a', 'user:42', 'x'.repeat(250), 'é'.repeat(125), '日本'.repeat(41), 'emoji-😀'])('accepts %j', (key) => {
    expect(() => validateKey(key)).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['251 bytes', 'x'.repeat(251)],
    ['251 bytes of two-byte characters', `${'é'.repeat(125)}x`],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\r\n'],
    ['NUL', 'a\u0000'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['a lone surrogate', 'a\ud800'],
    ['a number', 42],
    ['undefined', undefined],
    ['an object', { key: 'a' }],
    ['a Buffer', Buffer.from('a')],
  ])('rejects %s with InvalidKeyError', (_, key) => {
    let caught: unknown;
    try {
      validateKey(key);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidKeyError);
    expect(caught).toBeInstanceOf(ReconnectingMemcachedError);
    expect((caught as InvalidKeyError).code).toBe('ERR_INVALID_KEY');
  });

  it('counts the keyPrefix in the limit, for a printable ASCII key as for any other', () => {
    expect(() => validateKey('x'.repeat(240), 10)).not.toThrow();
    expect(() => validateKey('x'.repeat(241), 10)).toThrow(InvalidKeyError);
    expect(() => validateKey(`${'é'.repeat(120)}x`, 10)).toThrow(InvalidKeyError);
  });

  it('validateKeys needs an array and checks every key', () => {
    expect(() => validateKeys(['a', 'b'])).not.toThrow();
    expect(() => validateKeys('a')).toThrow(InvalidKeyError);
    expect(() => validateKeys(['a', ''])).toThrow(InvalidKeyError);
  });
});

describe('values, flags and expirations', () => {
  it('values must be a Buffer or a string', () => {
    expect(() => validateValue('')).not.toThrow();
    expect(() => validateValue(Buffer.alloc(0))).not.toThrow();
    for (const bad of [1, null, undefined, {}, [1], new Uint8Array(2)]) {
      expect(() => validateValue(bad)).toThrow(InvalidValueError);
    }
  });

  it.each([0, 1, 3600, 2 ** 32 - 1])('accepts %d as flags and expiration', (n) => {
    expect(() => validateFlags(n)).not.toThrow();
    expect(() => validateExpiration(n)).not.toThrow();
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32, '5', null])('rejects %s', (n) => {
    expect(() => validateFlags(n)).toThrow(InvalidFlagsError);
    expect(() => validateExpiration(n)).toThrow(InvalidExpirationError);
  });

  it("the meta protocol's limit: 2^31 - 1 passes, 2^31 is refused with a message naming the limit and why", () => {
    const meta = EXPIRATION_LIMITS.meta;
    expect(() => validateExpiration(2 ** 31 - 1, undefined, meta)).not.toThrow();
    expect(() => validateExpiration(2 ** 31, undefined, meta)).toThrow(
      /from 0 to 2147483647 over the meta protocol \(memcached reads its expirations as signed 32-bit numbers\), got 2147483648/,
    );
    expect(() => validateExpiration(2 ** 32 - 1, undefined, EXPIRATION_LIMITS.binary)).not.toThrow();
  });
});

describe('an absolute expiration by the client clock', () => {
  const NOW = 1_800_000_000;
  const now = () => NOW;

  it('takes up to 30 days as relative, and a Unix time after now', () => {
    for (const n of [0, 2_592_000, NOW + 1, 2 ** 32 - 1]) expect(() => validateExpiration(n, now)).not.toThrow();
  });

  it.each([2_592_001, 3_000_000, NOW - 1, NOW])('refuses %d: over 30 days and not after now', (n) => {
    expect(() => validateExpiration(n, now)).toThrow(InvalidExpirationError);
    expect(() => validateExpiration(n, now)).toThrow(/memcached reads it as a Unix time/);
  });

  it('reads the clock only for an expiration over 30 days', () => {
    let reads = 0;
    const counted = () => {
      reads++;
      return NOW;
    };
    validateExpiration(60, counted);
    validateExpiration(2_592_000, counted);
    expect(reads).toBe(0);
    validateExpiration(NOW + 60, counted);
    expect(reads).toBe(1);
  });
});
