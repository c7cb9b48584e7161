import { describe, expect, it, vi } from 'vitest';
import type { Deliver, WireAnswer } from '../../../src/connection/WireRequest';
import { BinaryReader } from '../../../src/memjs/BinaryReader';
import { MAX_LINE_BYTES, MetaReader } from '../../../src/meta/MetaReader';
import { TextReader } from '../../../src/text/TextReader';

// Every reader's value limit is the one function: counting its calls shows each reader asks it.
const checks = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../../src/connection/checkValueBytes', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/connection/checkValueBytes')>();
  return {
    checkValueBytes: (...args: Parameters<typeof original.checkValueBytes>) => {
      checks.calls++;
      return original.checkValueBytes(...args);
    },
  };
});

const MAX = 1000;
const limits = { maxValueBytes: MAX, maxLineBytes: MAX_LINE_BYTES };
const SERVER = '127.0.0.1:1';

function binaryHeader(valueBytes: number): Buffer {
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header[4] = 4;
  header.writeUInt32BE(4 + valueBytes, 8);
  return header;
}

type Make = (deliver: Deliver<WireAnswer>) => { feed(chunk: Buffer): void };
const readers: [string, Make, (size: number) => Buffer][] = [
  ['meta', (deliver) => new MetaReader(deliver, limits, SERVER), (size) => Buffer.from(`VA ${size} f0\r\n`)],
  ['text', (deliver) => new TextReader(deliver, limits, SERVER), (size) => Buffer.from(`VALUE k 0 ${size}\r\n`)],
  ['binary', (deliver) => new BinaryReader(deliver, limits, SERVER), binaryHeader],
];

describe('checkValueBytes: one maxValueBytes for every protocol reader', () => {
  it.each(readers)(
    'the %s reader takes a value of maxValueBytes and refuses one byte more, at its header',
    (_, make, header) => {
      const delivered: unknown[] = [];
      const before = checks.calls;
      make((answer) => delivered.push(answer) > 0).feed(header(MAX));
      expect(checks.calls).toBe(before + 1);
      let err: unknown;
      try {
        make(() => true).feed(header(MAX + 1));
      } catch (thrown) {
        err = thrown;
      }
      expect(checks.calls).toBe(before + 2);
      expect(String(err)).toContain(`${SERVER} sent a value of ${MAX + 1} bytes, over maxValueBytes (${MAX})`);
      // The value within the limit was waited for, not refused.
      expect(delivered).toEqual([]);
    },
  );
});
