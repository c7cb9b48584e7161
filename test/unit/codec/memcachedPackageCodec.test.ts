import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { memcachedPackageCodec } from '../../../src/codec/memcachedPackageCodec';
import { InvalidValueError } from '../../../src/core/errors';

const codec = memcachedPackageCodec();
// The package's own escape helpers (lib/utils.js), to check this codec against them.
const utils = createRequire(import.meta.url)('memcached/lib/utils.js') as {
  escapeValue(value: string): string;
  unescapeValue(value: string): string;
};

describe('memcachedPackageCodec: the memcached npm package 2.2.2 flag bits and encodings', () => {
  it('strings: flags 0, UTF-8, CR and LF escaped as escapeValue does', () => {
    const value = 'a\r\nb\\\nc é';
    const encoded = codec.encode(value);
    expect(encoded).toEqual({ value: Buffer.from(utils.escapeValue(value), 'utf8'), flags: 0 });
    expect(codec.decode(encoded.value, 0)).toBe(value);
  });

  it('numbers: FLAG_NUMERIC 8, String(n), read with unary +', () => {
    expect(codec.encode(-1.5)).toEqual({ value: Buffer.from('-1.5'), flags: 8 });
    expect(codec.decode(Buffer.from('1e3'), 8)).toBe(1000);
    expect(codec.decode(Buffer.from(''), 8)).toBe(0);
  });

  it("Buffers: FLAG_BINARY 4, latin1 text sent as UTF-8, as the package's toString('binary') does", () => {
    const bytes = Buffer.from([0x00, 0x0d, 0x0a, 0x7f, 0x80, 0xff]);
    const encoded = codec.encode(bytes);
    expect(encoded.flags).toBe(4);
    expect(encoded.value).toEqual(Buffer.from(utils.escapeValue(bytes.toString('binary')), 'utf8'));
    expect(encoded.value.length).toBe(10); // two escapes, two bytes >= 0x80 as two UTF-8 bytes each
    expect(codec.decode(encoded.value, 4)).toEqual(bytes);
  });

  it('anything else: FLAG_JSON 2', () => {
    for (const value of [{ a: [1, 'x\ny'] }, true, null, [1, 2]]) {
      const encoded = codec.encode(value);
      expect(encoded.flags).toBe(2);
      expect(encoded.value.toString()).toBe(utils.escapeValue(JSON.stringify(value)));
      expect(codec.decode(encoded.value, 2)).toEqual(value);
    }
  });

  it('other flags read as a string, as in the package', () => {
    expect(codec.decode(Buffer.from('12'), 16)).toBe('12');
    expect(codec.decode(Buffer.from('x\\\ny'), 1)).toBe(utils.unescapeValue('x\\\ny'));
  });

  it('throws on bad JSON; rejects what the package cannot write', () => {
    expect(() => codec.decode(Buffer.from('{'), 2)).toThrow(SyntaxError);
    for (const value of [undefined, 1n, () => 1]) expect(() => codec.encode(value)).toThrow(InvalidValueError);
  });
});
