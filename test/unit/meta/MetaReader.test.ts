import { describe, expect, it } from 'vitest';
import { code, MetaReader, type MetaResponse } from '../../../src/meta/MetaReader';
import { expectEveryCut } from '../../support/everyCut';
import { metaOutcome as outcome } from '../../support/metaOutcome';

interface Seen {
  readonly line: string;
  readonly value: string | undefined;
}

function reader(): { reader: MetaReader; seen: Seen[] } {
  const seen: Seen[] = [];
  const r = new MetaReader((response: MetaResponse) => {
    seen.push({ line: response.line, value: response.value?.toString('latin1') });
    return true;
  });
  return { reader: r, seen };
}

const STREAM =
  'VA 5 f42 c7\r\nhello\r\nEN\r\nHD O3\r\nVA 0 f0 W\r\n\r\nVA 12 t-1 Z X\r\nline\r\nbreak!\r\nMN\r\nSTAT pid 1\r\nEND\r\n';
const EXPECTED: Seen[] = [
  { line: 'VA 5 f42 c7', value: 'hello' },
  { line: 'EN', value: undefined },
  { line: 'HD O3', value: undefined },
  { line: 'VA 0 f0 W', value: '' },
  // A value may hold \r\n: its size says where it ends, not the bytes.
  { line: 'VA 12 t-1 Z X', value: 'line\r\nbreak!' },
  { line: 'MN', value: undefined },
  { line: 'STAT pid 1', value: undefined },
  { line: 'END', value: undefined },
];

describe('MetaReader', () => {
  it('reads a stream whole', () => {
    const { reader: r, seen } = reader();
    r.feed(Buffer.from(STREAM, 'latin1'));
    expect(seen).toEqual(EXPECTED);
    expect(r.holding).toBe(false);
  });

  it('reads the same stream cut into two chunks anywhere, and byte by byte', () => {
    const r = expectEveryCut(Buffer.from(STREAM, 'latin1'), reader, EXPECTED);
    expect(r.holding).toBe(false);
  });

  it('reads the edge forms of a status line (spaces, a bare LF, a CR inside a token) the same however they are cut', () => {
    // The status lines are read while their end is looked for: each form must end where the line ends.
    const bytes = Buffer.from('HD  O4 \r\nHD O5\nHD k\rx O6\r\nVA 2 f9 O7 W\r\nab\r\nEN\nVA 1 Z\r\r\nv\r\n', 'latin1');
    const make = () => {
      const seen: string[] = [];
      const r = new MetaReader((response) => {
        const flags = `${response.flag(0x66)} ${response.has(0x57)} ${response.has(0x5a)}`;
        seen.push(`${JSON.stringify(response.line)} ${response.id} ${flags} ${response.value?.toString('latin1')}`);
        return true;
      });
      return { reader: r, seen };
    };
    expectEveryCut(bytes, make, [
      '"HD  O4 " 4 undefined false false undefined',
      '"HD O5" 5 undefined false false undefined',
      '"HD k\\rx O6" 6 undefined false false undefined',
      '"VA 2 f9 O7 W" 7 9 true false ab',
      '"EN" -2 undefined false false undefined',
      // `Z\r` is a token of its own: a CR not followed by LF does not end the line.
      '"VA 1 Z\\r" -2 undefined false false v',
    ]);
  });

  it('reads a status line ending in CR LF (read in one pass) as it reads the same line ending in LF (read as any line)', () => {
    // A seeded generator of status lines from the tokens memcached writes, and some it never does.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const tokens = 'O12,O0,O99999,f0,f4294967295,f-3,W,X,Z,c123,t-1,k,Ox,fz,O,'.split(',');
    const statuses = ['VA 3', 'VA 0', 'HD', 'EN', 'NF', 'NS', 'EX', 'VA x'];
    for (let n = 0; n < 400; n++) {
      const status = statuses[next(statuses.length)]!;
      const line = [status, ...Array.from({ length: next(4) }, () => tokens[next(tokens.length)]!)].join(' ');
      const value = status.startsWith('VA 3') ? 'abc\r\n' : status === 'VA 0' ? '\r\n' : '';
      expect(outcome(`${line}\r\n${value}HD\r\n`), line).toEqual(outcome(`${line}\n${value}HD\r\n`));
    }
  });

  it('gathers a large value from many chunks', () => {
    const value = Buffer.alloc(300_000, 0x61);
    const bytes = Buffer.concat([Buffer.from(`VA ${value.length} f1\r\n`), value, Buffer.from('\r\nHD\r\n')]);
    const { reader: r, seen } = reader();
    for (let i = 0; i < bytes.length; i += 65_536) r.feed(bytes.subarray(i, i + 65_536));
    expect(seen.map((s) => [s.line, s.value?.length])).toEqual([
      ['VA 300000 f1', 300_000],
      ['HD', undefined],
    ]);
  });

  it('stops reading when the handler says so', () => {
    let calls = 0;
    const r = new MetaReader(() => ++calls < 2);
    r.feed(Buffer.from('HD\r\nHD\r\nHD\r\n'));
    expect(calls).toBe(2);
  });

  it('reads return flags', () => {
    let flags: unknown[] = [];
    const r = new MetaReader((response) => {
      flags = [
        response.code === code('VA'),
        response.flag(0x66),
        response.flag(0x74),
        response.flag(0x4f),
        response.bigFlag(0x63),
        response.has(0x57),
        response.has(0x5a),
        response.has(0x58),
      ];
      return true;
    });
    r.feed(Buffer.from('VA 1 f4294967295 t-1 c18446744073709551615 W X O12\r\nx\r\n'));
    expect(flags).toEqual([true, 4294967295, -1, 12, 18446744073709551615n, true, false, true]);
  });

  it('reads the first of a repeated flag, bare flags anywhere among the others, and no flags on lines without them', () => {
    const read: unknown[] = [];
    const r = new MetaReader((response) => {
      read.push([response.id, response.flag(0x66), response.has(0x57), response.has(0x58), response.has(0x5a)]);
      return true;
    });
    r.feed(Buffer.from('VA 1 W f7 Zz Z f9 O3 O4 X\r\nx\r\nHD Wx O5\r\nEN\r\nMN\r\nHD O6 f3 W\r\n'));
    expect(read).toEqual([
      [3, 7, true, true, true],
      [5, undefined, false, false, false],
      [-2, undefined, false, false, false],
      [-1, undefined, false, false, false],
      [6, 3, true, false, false],
    ]);
  });

  it('fails a malformed f flag when it is read, not before: a request that does not read it is not failed', () => {
    const seen: MetaResponse[] = [];
    const r = new MetaReader((response) => seen.push(response) > 0);
    r.feed(Buffer.from('HD fx O2\r\n'));
    expect(seen[0]!.id).toBe(2);
    expect(() => seen[0]!.flag(0x66)).toThrow(/a malformed f flag/);
    expect(() => seen[0]!.has(0x57)).not.toThrow();
  });
});

describe('MetaReader: what it refuses', () => {
  const limits = { maxValueBytes: 100, maxLineBytes: 64 };
  const feeding = () => {
    const seen: string[] = [];
    const r = new MetaReader((response) => seen.push(`${response.line} ${response.id}`) > 0, limits, 'fake:1');
    return { r, seen };
  };

  it('reads a line up to the bound however it is cut, and fails one past it', () => {
    const line = `HD O7 ${'x'.repeat(64 - 'HD O7 '.length - 2)}\r\n`;
    const { r, seen } = feeding();
    for (const byte of Buffer.from(line)) r.feed(Buffer.from([byte]));
    expect(seen).toEqual([`${line.slice(0, -2)} 7`]);
    const long = feeding();
    expect(() => {
      for (let i = 0; i < 65; i++) long.r.feed(Buffer.from('x'));
    }).toThrow(/fake:1 sent a line longer than 64 bytes/);
    expect(() => feeding().r.feed(Buffer.from(`${'x'.repeat(65)}\r\n`))).toThrow(/longer than 64 bytes/);
  });

  it.each([
    ['VA 101 f0 O1\r\n', /a value of 101 bytes, over maxValueBytes \(100\)/],
    ['VA -2 f0 O1\r\n', /a value header without a size/],
    ['VA 1x f0 O1\r\n', /a value header without a size/],
    ['VA\r\n', /a value header without a size/],
    ['VA 2 f0 O1\r\nabc\r\n', /a value that does not end where its size says/],
    ['HD Ox\r\n', /a malformed O flag/],
    ['HD O-3\r\n', /a malformed O flag/],
    // Read as numbers, these were NO_ID and MISSING_ID: an answer that passed for one carrying no id.
    ['HD O-1\r\n', /a malformed O flag/],
    ['HD O-2\r\n', /a malformed O flag/],
    ['HD O\r\n', /a malformed O flag/],
    ['HD O12345678901\r\n', /a malformed O flag/],
  ])('%j fails the connection', (bytes, message) => {
    expect(() => feeding().r.feed(Buffer.from(bytes))).toThrow(message);
  });

  it('names the id of a meta answer, MISSING_ID when it has none, NO_ID for lines that never carry one', () => {
    const { r, seen } = feeding();
    r.feed(Buffer.from('EN O3\r\nHD\r\nMN\r\nEND\r\nSERVER_ERROR Out of memory\r\nSTAT pid 1\r\n'));
    expect(seen).toEqual(['EN O3 3', 'HD -2', 'MN -1', 'END -1', 'SERVER_ERROR Out of memory -1', 'STAT pid 1 -1']);
  });
});
