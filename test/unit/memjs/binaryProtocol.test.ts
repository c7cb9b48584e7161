import { describe, expect, it } from 'vitest';
import { uint16At, uint32At } from '../../../src/memjs/binaryProtocol';

describe('header fields read byte by byte', () => {
  it('read what Buffer reads, unsigned, over the whole range', () => {
    const buf = Buffer.alloc(8);
    for (const n of [0, 1, 0x7f, 0x80, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff]) {
      buf.writeUInt32BE(n, 3);
      expect(uint32At(buf, 3)).toBe(n);
      expect(uint16At(buf, 5)).toBe(buf.readUInt16BE(5));
    }
  });
});
