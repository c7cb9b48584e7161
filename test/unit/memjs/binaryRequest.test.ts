import fc from 'fast-check';
import memjs from 'memjs';
import { describe, expect, it } from 'vitest';
import { emptyRequest, keyRequest, multiGetRequest, storeRequest } from '../../../src/memjs/binaryRequest';

// memjs's own request builder is the reference: the port's builders must produce the same bytes.
const { makeRequestBuffer } = (
  memjs as unknown as {
    Utils: {
      makeRequestBuffer(
        op: number,
        key: string,
        extras: Buffer | string,
        value: Buffer | string,
        opaque: number,
      ): Buffer;
    };
  }
).Utils;

const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((k) => k.isWellFormed());
const opaque = fc.nat({ max: 0xffffffff });
const uint32 = fc.nat({ max: 0xffffffff });

describe('binary requests are byte for byte what memjs builds', () => {
  it('keyRequest (GET, DELETE)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x00, 0x04), key, opaque, (op, k, seq) => {
        expect(keyRequest(op, k, seq)).toEqual(makeRequestBuffer(op, k, '', '', seq));
      }),
    );
  });

  it('storeRequest (SET with flags and expiration)', () => {
    fc.assert(
      fc.property(
        key,
        fc.uint8Array({ maxLength: 300 }),
        uint32,
        uint32,
        opaque,
        (k, bytes, flags, expiration, seq) => {
          const value = Buffer.from(bytes);
          const extras = Buffer.alloc(8);
          extras.writeUInt32BE(flags, 0);
          extras.writeUInt32BE(expiration, 4);
          expect(storeRequest(0x01, k, value, flags, expiration, seq)).toEqual(
            makeRequestBuffer(0x01, k, extras, value, seq),
          );
        },
      ),
    );
  });

  it('multiGetRequest: a GETKQ per key, then one NOOP, all with the same opaque', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 20 }), opaque, (keys, seq) => {
        const expected = Buffer.concat([
          ...keys.map((k) => makeRequestBuffer(0x0d, k, '', '', seq)),
          makeRequestBuffer(0x0a, '', '', '', seq),
        ]);
        expect(multiGetRequest(0x0d, 0x0a, keys, seq)).toEqual(expected);
      }),
    );
  });

  it('emptyRequest (VERSION, NOOP)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x0a, 0x0b), opaque, (op, seq) => {
        expect(emptyRequest(op, seq)).toEqual(makeRequestBuffer(op, '', '', '', seq));
      }),
    );
  });
});
