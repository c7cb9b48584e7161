import { once } from 'node:events';
import zlib from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { compressed } from '../../../src/codec/compressed';
import { InflateBudget } from '../../../src/codec/InflateBudget';
import { rawCodec } from '../../../src/codec/rawCodec';

const MIB = 2 ** 20;
const zerosOf = (bytes: number) => zlib.deflateSync(Buffer.alloc(bytes));

describe('InflateBudget: a limit per value and one shared by the inflations in progress', () => {
  it('inflates a value within both limits to its bytes, and one past perValue rejects naming the option', async () => {
    const budget = new InflateBudget(2 * MIB, 4 * MIB);
    const text = Buffer.from('a value that compresses, '.repeat(5000));
    expect((await budget.inflate(zlib.deflateSync(text))).equals(text)).toBe(true);
    await expect(budget.inflate(zerosOf(3 * MIB))).rejects.toThrow(/maxDecompressedBytes \(2097152 bytes\)/);
  });

  it('concurrent inflations past the shared limit: the big ones are stopped, a small one beside them is not', async () => {
    const budget = new InflateBudget(8 * MIB, 3 * MIB);
    const big = zerosOf(8 * MIB);
    const small = Buffer.from('small, but inflated on the thread pool too. '.repeat(3000));
    const reads = [...Array.from({ length: 6 }, () => budget.inflate(big)), budget.inflate(zlib.deflateSync(small))];
    const results = await Promise.allSettled(reads);
    const bigOnes = results.slice(0, 6);
    expect(bigOnes.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of bigOnes) {
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/maxConcurrentDecompressedBytes \(3145728 bytes\)/);
    }
    const last = results[6] as PromiseFulfilledResult<Buffer>;
    expect(last.status).toBe('fulfilled');
    expect(last.value.equals(small)).toBe(true);
  });

  it('gives its bytes back: one after another, values that together pass the shared limit all inflate', async () => {
    const budget = new InflateBudget(8 * MIB, 3 * MIB);
    for (let i = 0; i < 4; i++) expect((await budget.inflate(zerosOf(2 * MIB))).length).toBe(2 * MIB);
  });

  it('compressed(): each codec has its own budget, and a small value past the sync limit still decodes', async () => {
    const options = { above: 0, maxConcurrentDecompressedBytes: 3 * MIB };
    const one = compressed(rawCodec, options);
    const other = compressed(rawCodec, options);
    // 2 MiB of zeros compresses to about 2 KiB: inflated on the event loop only up to 1 MiB.
    const value = zerosOf(2 * MIB);
    expect(value.length).toBeLessThan(16 * 1024);
    const [a, b] = await Promise.all([one.decode(value, 8), other.decode(value, 8)]);
    expect((a as Buffer).length + (b as Buffer).length).toBe(4 * MIB);
    expect(() => compressed(rawCodec, { above: 0, maxConcurrentDecompressedBytes: 0 })).toThrow(
      /maxConcurrentDecompressedBytes/,
    );
  });
});

describe('InflateBudget: an inflation whose signal aborts', () => {
  it('rejects with the reason at once, stops, and gives its bytes back to the shared limit', async () => {
    const budget = new InflateBudget(64 * MIB, 64 * MIB);
    const controller = new AbortController();
    const reason = new Error('the deadline passed');
    // Its length, not the Buffer: a failing assertion must not print 60 MiB.
    const inflaters = vi.spyOn(zlib, 'createInflate');
    onTestFinished(() => inflaters.mockRestore());
    const bomb = budget.inflate(zerosOf(60 * MIB), controller.signal).then((bytes) => bytes.length);
    // Abort once some output has come: the inflation is under way on the thread pool.
    await once(inflaters.mock.results[0]?.value as zlib.Inflate, 'data');
    controller.abort(reason);
    await expect(bomb).rejects.toBe(reason);
    // The bytes it held are free again: a value needing nearly all of the shared limit inflates.
    expect((await budget.inflate(zerosOf(63 * MIB))).length).toBe(63 * MIB);
    await expect(budget.inflate(zerosOf(MIB), controller.signal).then((bytes) => bytes.length)).rejects.toBe(reason);
  });

  it('compressed() hands the read its signal: an aborted read of a large value rejects with its reason', async () => {
    const codec = compressed(rawCodec, { above: 0 });
    const controller = new AbortController();
    const read = Promise.resolve(codec.decode(zerosOf(32 * MIB), 8, controller.signal)).then((bytes) => bytes.length);
    controller.abort(new Error('late'));
    await expect(read).rejects.toThrow('late');
  });
});
