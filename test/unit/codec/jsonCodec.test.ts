import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../../../src/codec/jsonCodec';
import { rawCodec } from '../../../src/codec/rawCodec';
import { InvalidValueError, UnsupportedFlagsError } from '../../../src/core/errors';

describe('jsonCodec', () => {
  const codec = jsonCodec();

  it('round-trips JSON values as UTF-8 with flags 0', () => {
    for (const value of [{ a: [1, 'é', null] }, 'text', 0, false, null, [{}]]) {
      const encoded = codec.encode(value);
      expect(encoded.flags).toBe(0);
      expect(encoded.value.toString()).toBe(JSON.stringify(value));
      expect(codec.decode(encoded.value, 0)).toEqual(value);
    }
  });

  it('rejects what JSON cannot hold with InvalidValueError', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [undefined, () => 1, 1n, cycle]) {
      expect(() => codec.encode(value)).toThrow(InvalidValueError);
    }
  });

  it('throws on bytes that are not JSON or not UTF-8, and on other flags', () => {
    expect(() => codec.decode(Buffer.from('{"a":'), 0)).toThrow(SyntaxError);
    expect(() => codec.decode(Buffer.from([0x22, 0xff, 0x22]), 0)).toThrow(TypeError);
    expect(() => codec.decode(Buffer.from('1'), 2)).toThrow(UnsupportedFlagsError);
  });
});

describe('rawCodec', () => {
  it('takes a Buffer or a string and answers Buffers, flags 0', () => {
    expect(rawCodec.encode('é')).toEqual({ value: Buffer.from('é'), flags: 0 });
    const buffer = Buffer.from([1, 2]);
    expect(rawCodec.encode(buffer).value).toBe(buffer);
    expect(rawCodec.decode(buffer, 123)).toBe(buffer);
    expect(() => rawCodec.encode(42 as never)).toThrow(InvalidValueError);
  });
});
