import fc from 'fast-check';
import memjs from 'memjs';
import { describe, expect, it, vi } from 'vitest';
import { KeyBytes } from '../../../src/core/KeyBytes';
import {
  concatRequest,
  counterRequest,
  emptyRequest,
  expirationRequest,
  keyRequest,
  storeBytes,
  storeRequest,
  utf8Length,
  writeStore,
} from '../../../src/memjs/binaryRequest';
import { multiKeyRequest, multiStoreRequest } from '../../../src/memjs/pipelinedRequest';

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
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const value = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));

function storeExtras(flags: number, expiration: number): Buffer {
  const extras = Buffer.alloc(8);
  extras.writeUInt32BE(flags, 0);
  extras.writeUInt32BE(expiration, 4);
  return extras;
}

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

  it('a store written in place copies its key from the bytes its validation kept, when handed them', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[!-~]{1,60}$/), key, value, opaque, (ascii, other, v, seq) => {
        const kept = new KeyBytes();
        expect(kept.keep(ascii)).toBe(true);
        const copy = vi.spyOn(kept, 'copyTo');
        for (const k of [ascii, other]) {
          const keyBytes = utf8Length(k, kept);
          const buf = Buffer.alloc(storeBytes(keyBytes, v));
          writeStore(buf, 0, 0x01, k, keyBytes, v, 3, 4, seq, kept);
          expect(buf).toEqual(storeRequest(0x01, k, v, 3, 4, seq));
        }
        expect(copy).toHaveBeenCalledTimes(ascii === other ? 2 : 1);
      }),
    );
  });

  it('multiKeyRequest: a GETKQ per key, then one NOOP, all with the same opaque', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 20 }), opaque, (keys, seq) => {
        const expected = Buffer.concat([
          ...keys.map((k) => makeRequestBuffer(0x0d, k, '', '', seq)),
          makeRequestBuffer(0x0a, '', '', '', seq),
        ]);
        expect(multiKeyRequest(0x0d, 0x0a, keys, seq)).toEqual(expected);
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

  it('storeRequest with a CAS value: a SET whose header carries all 64 bits of it', () => {
    fc.assert(
      fc.property(key, value, uint32, uint32, opaque, uint64, (k, v, flags, expiration, seq, cas) => {
        const expected = makeRequestBuffer(0x01, k, storeExtras(flags, expiration), v, seq);
        expected.writeBigUInt64BE(cas, 16);
        expect(storeRequest(0x01, k, v, flags, expiration, seq, cas)).toEqual(expected);
      }),
    );
  });

  it('concatRequest (APPEND, PREPEND): key and value, no extras', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x0e, 0x0f), key, value, opaque, (op, k, v, seq) => {
        expect(concatRequest(op, k, v, seq)).toEqual(makeRequestBuffer(op, k, '', v, seq));
      }),
    );
  });

  it('counterRequest (INCREMENT, DECREMENT): delta, initial (64 bits each), expiration', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x05, 0x06),
        key,
        uint64,
        uint64,
        uint32,
        opaque,
        (op, k, delta, initial, exp, seq) => {
          const extras = Buffer.alloc(20);
          extras.writeBigUInt64BE(delta, 0);
          extras.writeBigUInt64BE(initial, 8);
          extras.writeUInt32BE(exp, 16);
          expect(counterRequest(op, k, delta, initial, exp, seq)).toEqual(makeRequestBuffer(op, k, extras, '', seq));
        },
      ),
    );
  });

  it('expirationRequest (TOUCH, GAT): extras expiration, then the key', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x1c, 0x1d), key, uint32, opaque, (op, k, exp, seq) => {
        const extras = Buffer.alloc(4);
        extras.writeUInt32BE(exp, 0);
        expect(expirationRequest(op, k, exp, seq)).toEqual(makeRequestBuffer(op, k, extras, '', seq));
      }),
    );
  });

  it('multiStoreRequest: a SETQ per item with its own opaque, then one NOOP with its own', () => {
    const item = fc.record({ key, value, flags: uint32, expiration: uint32 });
    fc.assert(
      fc.property(fc.array(fc.tuple(item, opaque), { maxLength: 20 }), opaque, (pairs, end) => {
        const items = pairs.map(([i]) => i);
        const opaques = pairs.map(([, o]) => o);
        const expected = Buffer.concat([
          ...pairs.map(([i, o]) => makeRequestBuffer(0x11, i.key, storeExtras(i.flags, i.expiration), i.value, o)),
          makeRequestBuffer(0x0a, '', '', '', end),
        ]);
        expect(multiStoreRequest(0x11, 0x0a, items, opaques, end)).toEqual(expected);
      }),
    );
  });
});
