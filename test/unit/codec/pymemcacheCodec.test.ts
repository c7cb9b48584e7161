import { describe, expect, it } from 'vitest';
import { pymemcacheCodec } from '../../../src/codec/pymemcacheCodec';
import { InvalidValueError, UnsupportedFlagsError } from '../../../src/core/errors';

const codec = pymemcacheCodec();

describe('pymemcacheCodec: pymemcache serde.py and pylibmc flag bits', () => {
  it('writes bytes with 0, text with FLAG_TEXT 16, integers with FLAG_INTEGER 2 as "%d"', () => {
    expect(codec.encode(Buffer.from([0, 255]))).toEqual({ value: Buffer.from([0, 255]), flags: 0 });
    expect(codec.encode('héllo')).toEqual({ value: Buffer.from('héllo', 'utf8'), flags: 16 });
    expect(codec.encode(-42)).toEqual({ value: Buffer.from('-42'), flags: 2 });
    expect(codec.encode(2n ** 80n)).toEqual({ value: Buffer.from('1208925819614629174706176'), flags: 2 });
  });

  it('reads them back, and pylibmc ints (FLAG_LONG 4) and bools ("1" under 2)', () => {
    expect(codec.decode(Buffer.from('raw'), 0)).toEqual(Buffer.from('raw'));
    expect(codec.decode(Buffer.from('日本', 'utf8'), 16)).toBe('日本');
    expect(codec.decode(Buffer.from('42'), 4)).toBe(42);
    expect(codec.decode(Buffer.from('1'), 2)).toBe(1);
    expect(codec.decode(Buffer.from('9 '), 2)).toBe(9); // memcached pads a decremented number
    expect(codec.decode(Buffer.from('-9007199254740993'), 2)).toBe(-9007199254740993n);
  });

  it('refuses pickles and unknown bits with a typed error, never a crash', () => {
    const pickle = Buffer.from('80049505000000000000004b2a2e', 'hex');
    expect(() => codec.decode(pickle, 1)).toThrow(UnsupportedFlagsError);
    expect(() => codec.decode(Buffer.from('x'), 8)).toThrow(UnsupportedFlagsError); // compressed, unwrapped
    expect(() => codec.decode(Buffer.from('x'), 32)).toThrow(UnsupportedFlagsError);
  });

  it('throws on text that is not UTF-8 and integers that are not decimal', () => {
    expect(() => codec.decode(Buffer.from([0xc3, 0x28]), 16)).toThrow(TypeError);
    expect(() => codec.decode(Buffer.from('4x2'), 2)).toThrow(TypeError);
    expect(() => codec.decode(Buffer.from(''), 2)).toThrow(TypeError);
  });

  it('rejects what Python would pickle', () => {
    for (const value of [1.5, Number.NaN, true, null, { a: 1 }, [1]]) {
      expect(() => codec.encode(value as never)).toThrow(InvalidValueError);
    }
  });
});
