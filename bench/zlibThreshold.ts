// `npx tsx bench/zlibThreshold.ts`: how long zlib holds the event loop per value size, the figures
// behind compressed()'s 16 KiB switch to the thread pool (src/codec/compressed.ts, docs/values.md).
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';

/** JSON-like text of `n` bytes that compresses as records do (to about 0.3 of its size). */
function sample(n: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < n) {
    const part = JSON.stringify({
      id: length,
      name: randomBytes(6).toString('hex'),
      tags: ['a', 'b'],
      score: length % 97,
    });
    parts.push(part);
    length += part.length + 1;
  }
  return Buffer.from(parts.join(',').slice(0, n));
}

const micros = (start: bigint, calls: number) => Number(process.hrtime.bigint() - start) / calls / 1000;

for (const n of [1024, 4096, 16384, 65536, 262144, 1048576]) {
  const value = sample(n);
  const deflated = zlib.deflateSync(value);
  const calls = Math.max(5, Math.floor(2e6 / n));
  let start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) zlib.deflateSync(value);
  const deflateUs = micros(start, calls);
  start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) zlib.inflateSync(deflated);
  const inflateUs = micros(start, calls);
  start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await new Promise((resolve) => zlib.deflate(value, resolve));
  const asyncUs = micros(start, calls);
  console.log(
    `${n} B (to ${(deflated.length / n).toFixed(2)}): deflateSync ${deflateUs.toFixed(0)} us, ` +
      `inflateSync ${inflateUs.toFixed(0)} us, zlib.deflate round trip ${asyncUs.toFixed(0)} us`,
  );
}
