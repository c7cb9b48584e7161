import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/config/options';
import { MAX_LINE_BYTES } from '../../../src/connection/LineReader';
import { TextReader } from '../../../src/text/TextReader';
import type { TextResponse } from '../../../src/text/TextResponse';
import { expectEveryCut } from '../../support/everyCut';

interface Seen {
  readonly line: string;
  readonly value: string | undefined;
  readonly key?: string;
  readonly flags?: number;
  readonly cas?: bigint;
  readonly end: boolean;
}

const LIMITS = { maxValueBytes: DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };

function reader(limits = LIMITS): { reader: TextReader; seen: Seen[] } {
  const seen: Seen[] = [];
  const r = new TextReader(
    (response: TextResponse) => {
      const value = response.value?.toString('latin1');
      const end = response.isEnd;
      if (!response.isValue) seen.push({ line: response.line, value, end });
      else {
        const key = response.buf.toString('latin1', response.keyStart, response.keyEnd);
        const cas = response.casStart < 0 ? undefined : response.cas;
        seen.push({ line: response.line, value, key, flags: response.flags, ...(cas !== undefined && { cas }), end });
      }
      return true;
    },
    limits,
    'test:11211',
  );
  return { reader: r, seen };
}

const STREAM =
  'VALUE k1 7 5\r\nhello\r\nEND\r\nVALUE k2 0 12 99\r\nline\r\nbreak!\r\nEND\r\nSTORED\r\nNOT_FOUND\r\n42\r\nSERVER_ERROR out of memory\r\nVALUE e 4294967295 0\r\n\r\nEND\r\n';
const EXPECTED: Seen[] = [
  { line: 'VALUE k1 7 5', value: 'hello', key: 'k1', flags: 7, end: false },
  { line: 'END', value: undefined, end: true },
  // A value may hold \r\n: its size says where it ends, not the bytes.
  { line: 'VALUE k2 0 12 99', value: 'line\r\nbreak!', key: 'k2', flags: 0, cas: 99n, end: false },
  { line: 'END', value: undefined, end: true },
  { line: 'STORED', value: undefined, end: false },
  { line: 'NOT_FOUND', value: undefined, end: false },
  { line: '42', value: undefined, end: false },
  { line: 'SERVER_ERROR out of memory', value: undefined, end: false },
  { line: 'VALUE e 4294967295 0', value: '', key: 'e', flags: 4294967295, end: false },
  { line: 'END', value: undefined, end: true },
];

describe('TextReader', () => {
  it('reads a stream of the classic answers: values with their key, flags and CAS, and status lines', () => {
    const { reader: r, seen } = reader();
    r.feed(Buffer.from(STREAM, 'latin1'));
    expect(seen).toEqual(EXPECTED);
    expect(r.holding).toBe(false);
  });

  it('reads the same stream cut into two chunks anywhere, and byte by byte', () => {
    expectEveryCut(Buffer.from(STREAM, 'latin1'), reader, EXPECTED);
  });

  it.each([
    ['a value line without a size', 'VALUE k 0\r\n', /without a size/],
    ['a size that is not digits', 'VALUE k 0 1x\r\nx\r\n', /without a size/],
    ['client flags beyond 32 bits', 'VALUE k 4294967296 1\r\nx\r\n', /beyond 32 bits/],
    ['client flags that are not a number', 'VALUE k -1 1\r\nx\r\n', /not a number|beyond/],
    ['a value that does not end where its size says', 'VALUE k 0 1\r\nxy\r\n', /does not end where its size says/],
  ])('%s fails the connection', (_, bytes, message) => {
    const { reader: r } = reader();
    expect(() => r.feed(Buffer.from(bytes, 'latin1'))).toThrow(message);
  });

  it('a value over maxValueBytes fails at its line, before its bytes arrive', () => {
    const { reader: r, seen } = reader({ ...LIMITS, maxValueBytes: 10 });
    expect(() => r.feed(Buffer.from('VALUE k 0 11\r\n', 'latin1'))).toThrow(/over maxValueBytes \(10\)/);
    expect(seen).toEqual([]);
  });
});
