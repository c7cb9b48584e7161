import fc from 'fast-check';

// Hostile inputs for the public API: keys around the 250-byte limit in 1- to 4-byte characters,
// lone surrogates, whitespace and control characters, and values of any type but a string.

// Strings of an exact UTF-8 byte length made of one repeated character: the 250-byte limit seen by
// 1-, 2-, 3- and 4-byte characters (the last is two UTF-16 units).
const nearTheLimit = fc
  .tuple(fc.integer({ min: 240, max: 260 }), fc.constantFrom('a', 'é', '€', '😀'))
  .map(([bytes, char]) => {
    const width = Buffer.byteLength(char);
    return char.repeat(Math.floor(bytes / width)) + 'a'.repeat(bytes % width);
  });
export const loneSurrogates = fc
  .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 }))
  .map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`);
const withWhitespaceOrControl = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 10, unit: 'grapheme-ascii' }),
    fc.constantFrom(' ', '\t', '\n', '\r', '\0', '\x7f', '\x85', '\v', '\f', '\x1b'),
    fc.string({ maxLength: 10, unit: 'grapheme-ascii' }),
  )
  .map(([a, bad, b]) => a + bad + b);
export const nonStrings = fc.anything({
  withNullPrototype: true,
  withBigInt: true,
  withTypedArray: true,
  withMap: true,
});
export const keys = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 260 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  nearTheLimit,
  loneSurrogates,
  withWhitespaceOrControl,
  fc.constantFrom('', 'a'.repeat(250), 'a'.repeat(251), ' ', 'ключ', '鍵', '🔑'),
  nonStrings,
);
