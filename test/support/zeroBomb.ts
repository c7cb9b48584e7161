import zlib from 'node:zlib';

const MIB = 2 ** 20;

/**
 * A zlib stream of `mib` MiB of zeros, built from two deflate blocks instead of by compressing a
 * GiB: the first MiB, then one block for every next MiB (the window before it is all zeros, so the
 * block is the same each time), each ending on a sync flush, then an empty final block and the
 * Adler-32 of the zeros (a = 1, b = length mod 65521).
 */
export function zeroBomb(mib: number): Buffer {
  const zeros = Buffer.alloc(MIB);
  const options = { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const first = zlib.deflateRawSync(zeros, options);
  const next = zlib.deflateRawSync(zeros, { ...options, dictionary: Buffer.alloc(32 * 1024) });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((mib * MIB) % 65521) * 65536 + 1) >>> 0);
  const blocks = Array.from({ length: mib - 1 }, () => next);
  return Buffer.concat([Buffer.from([0x78, 0xda]), first, ...blocks, Buffer.from([1, 0, 0, 0xff, 0xff]), adler]);
}
