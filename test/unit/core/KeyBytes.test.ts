import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { KeyBytes } from '../../../src/core/KeyBytes';
import { validateKey } from '../../../src/core/validation';
import { utf8Length } from '../../../src/memjs/binaryRequest';
import { writeKey } from '../../../src/transport/writeUtf8';

// The adapters copy the bytes that validateKey kept, in the KeyBytes the call handed them, of the
// key it passed last, instead of reading that key again. Whatever was validated before, in
// whatever order, a key must be written as its own UTF-8 bytes and measured as its own length.
const validatedThen = (kept: KeyBytes, validated: readonly string[]) => {
  for (const key of validated) {
    try {
      validateKey(key, 0, kept);
    } catch {
      // an invalid key is validated too: it must not leave bytes behind that another key is written with
    }
  }
};

const written = (key: string, kept?: KeyBytes): Buffer => {
  const buf = Buffer.alloc(4 + 3 * key.length, 0xee);
  const end = writeKey(buf, 4, key, kept);
  return buf.subarray(4, end);
};

describe('the bytes of the key validated last', () => {
  it('are kept in the KeyBytes the validation is handed, and copied from it', () => {
    const kept = new KeyBytes();
    validatedThen(kept, ['bench:key:123']);
    expect(kept.holds('bench:key:123')).toBe(true);
    const copy = vi.spyOn(kept, 'copyTo');
    expect(written('bench:key:123', kept).toString('latin1')).toBe('bench:key:123');
    expect(copy).toHaveBeenCalledOnce();
    expect(utf8Length('bench:key:123', kept)).toBe(13);
  });

  it('belong to that KeyBytes only: another one, or none, holds nothing', () => {
    const mine = new KeyBytes();
    const other = new KeyBytes();
    validatedThen(mine, ['bench:key:1']);
    validateKey('bench:key:2');
    expect(mine.holds('bench:key:1')).toBe(true);
    expect(other.holds('bench:key:1')).toBe(false);
    expect(other.holds('bench:key:2')).toBe(false);
    const copy = vi.spyOn(other, 'copyTo');
    expect(written('bench:key:1', other).toString('latin1')).toBe('bench:key:1');
    expect(copy).not.toHaveBeenCalled();
  });

  it('are not used for another key, of the same length or not', () => {
    const kept = new KeyBytes();
    validatedThen(kept, ['aaaa:1']);
    expect(written('bbbb:2', kept).toString('utf8')).toBe('bbbb:2');
    expect(written('ключ:1', kept).toString('utf8')).toBe('ключ:1');
    expect(utf8Length('ключ:1', kept)).toBe(Buffer.byteLength('ключ:1'));
  });

  it('are forgotten when a key fails halfway, after overwriting some of them', () => {
    const kept = new KeyBytes();
    validatedThen(kept, ['abcdef', 'xyz def']);
    expect(kept.holds('abcdef')).toBe(false);
    expect(written('abcdef', kept).toString('latin1')).toBe('abcdef');
  });

  it('are those of an equal key made apart (another string object of the same text)', () => {
    const kept = new KeyBytes();
    const n = 4242;
    validatedThen(kept, [`k:${n}:suffix`]);
    const apart = ['k', String(n), 'suffix'].join(':');
    expect(kept.holds(apart)).toBe(true);
    expect(written(apart, kept).toString('latin1')).toBe('k:4242:suffix');
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
        const kept = new KeyBytes();
        validatedThen(kept, validated);
        for (const k of [...validated, probe]) {
          const expected = Buffer.from(k.isWellFormed() ? k : k.toWellFormed(), 'utf8');
          expect(written(k, kept).equals(expected)).toBe(true);
          if (k.isWellFormed()) expect(utf8Length(k, kept)).toBe(expected.length);
        }
      }),
    );
  });
});
