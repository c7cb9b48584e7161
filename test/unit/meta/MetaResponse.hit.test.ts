import { describe, expect, it } from 'vitest';
import { MetaReader } from '../../../src/meta/MetaReader';
import { F } from '../../../src/meta/metaRequests';
import { expectEveryCut } from '../../support/everyCut';
import { metaOutcome as outcome } from '../../support/metaOutcome';

// A get's hit as memcached answers the hot get (`VA <size> f<flags> O<id>`) has a read of its own;
// every line near that form must read as the same line read the general way (ending in a bare LF).

describe("MetaResponse's read of a get's hit", () => {
  it('reads the size, the client flags and the id of a hit in its usual form', () => {
    expect(outcome('VA 3 f7 O12\r\nabc\r\nVA 0 f4294967295 O99999\r\n\r\n')).toEqual([
      'VA 3 f7 O12 12 7 false false false abc',
      'VA 0 f4294967295 O99999 99999 4294967295 false false false ',
    ]);
  });

  it('reads every near form of a hit as the same line read the general way', () => {
    const lines = [
      'VA 3 f0 O12',
      'VA 3 f4294967296 O1',
      'VA 3 f12345678901 O1',
      'VA 3 f0 O12345678901',
      'VA 3 f0 O12 W',
      'VA 3 O12 f0',
      'VA 3 f0',
      'VA 3 f0 O',
      'VA 3 f O12',
      'VA 3 f0  O12',
      'VA 3 f0 O12 ',
      'VA 3 f-1 O12',
      'VA 3 f0 Ox',
      'VA 3 F0 O12',
      'VA 3 f0 o12',
      'VA 3 f0 O12 Z X',
      'VA 12345678901 f0 O1',
      'VA  3 f0 O1',
      'VA x f0 O1',
    ];
    for (const line of lines) {
      expect(outcome(`${line}\r\nabc\r\nHD\r\n`), line).toEqual(outcome(`${line}\nabc\r\nHD\r\n`));
    }
  });

  it('reads hits the same however they are cut', () => {
    const bytes = Buffer.from('VA 3 f7 O12\r\nabc\r\nVA 0 f0 O13\r\n\r\nVA 2 f1 O1234567890\r\nxy\r\n', 'latin1');
    const make = () => {
      const seen: string[] = [];
      const reader = new MetaReader((response) => {
        seen.push(`${response.id} ${response.flag(F)} ${response.value?.toString('latin1')}`);
        return true;
      });
      return { reader, seen };
    };
    expectEveryCut(bytes, make, ['12 7 abc', '13 0 ', '1234567890 1 xy']);
  });
});
