import { describe, expect, it } from 'vitest';
import { RequestIds } from '../../../src/memjs/RequestIds';

describe('RequestIds', () => {
  it('counts up from 1', () => {
    const ids = new RequestIds();
    expect([ids.next(), ids.next(), ids.next()]).toEqual([1, 2, 3]);
  });

  it('stays a valid unsigned 32-bit value across 2^31 and wraps past 2^32 - 1 to 1, skipping 0', () => {
    const ids = new RequestIds(2 ** 31 - 1);
    expect([ids.next(), ids.next()]).toEqual([2 ** 31 - 1, 2 ** 31]);
    const wrap = new RequestIds(2 ** 32 - 2);
    expect([wrap.next(), wrap.next(), wrap.next(), wrap.next()]).toEqual([2 ** 32 - 2, 2 ** 32 - 1, 1, 2]);
  });

  it('writes into a header and reads back as the same number', () => {
    const ids = new RequestIds(2 ** 32 - 1);
    for (let i = 0; i < 3; i++) {
      const id = ids.next();
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(id);
      expect(buf.readUInt32BE()).toBe(id);
    }
  });
});
