import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateKey } from '../../../src/core/validation';
import { utf8Length } from '../../../src/memjs/binaryRequest';
import { writeKey } from '../../../src/transport/writeUtf8';

// The adapters copy the bytes that validateKey kept of the key it passed last, instead of reading
// that key again (src/core/validatedKey.ts). Whatever was validated before, in whatever order, a
// key must be written as its own UTF-8 bytes and measured as its own length.
const validatedThen = (validated: readonly string[]) => {
  for (const key of validated) {
    try {
      validateKey(key);
    } catch {
      // an invalid key is validated too: it must not leave bytes behind that another key is written with
    }
  }
};

const written = (key: string): Buffer => {
  const buf = Buffer.alloc(4 + 3 * key.length, 0xee);
  const end = writeKey(buf, 4, key);
  return buf.subarray(4, end);
};

describe('the bytes of the key validated last', () => {
  it('are the key itself: written and measured as its UTF-8', () => {
    validatedThen(['bench:key:123']);
    expect(written('bench:key:123').toString('latin1')).toBe('bench:key:123');
    expect(utf8Length('bench:key:123')).toBe(13);
  });

  it('are not used for another key, of the same length or not', () => {
    validatedThen(['aaaa:1']);
    expect(written('bbbb:2').toString('utf8')).toBe('bbbb:2');
    expect(written('ключ:1').toString('utf8')).toBe('ключ:1');
    expect(utf8Length('ключ:1')).toBe(Buffer.byteLength('ключ:1'));
  });

  it('are forgotten when a key fails halfway, after overwriting some of them', () => {
    validatedThen(['abcdef', 'xyz def']);
    expect(written('abcdef').toString('latin1')).toBe('abcdef');
  });

  it('are those of an equal key made apart (another string object of the same text)', () => {
    const n = 4242;
    validatedThen([`k:${n}:suffix`]);
    const apart = ['k', String(n), 'suffix'].join(':');
    expect(written(apart).toString('latin1')).toBe('k:4242:suffix');
  });

  it('never change what any key is written as, whatever was validated before (property)', () => {
    const key = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.stringMatching(/^[!-~]{1,40}$/),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
      fc.constant('x'.repeat(251)),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 6 }), key, (validated, probe) => {
        validatedThen(validated);
        for (const k of [...validated, probe]) {
          const expected = Buffer.from(k.isWellFormed() ? k : k.toWellFormed(), 'utf8');
          expect(written(k).equals(expected)).toBe(true);
          if (k.isWellFormed()) expect(utf8Length(k)).toBe(expected.length);
        }
      }),
    );
  });
});
