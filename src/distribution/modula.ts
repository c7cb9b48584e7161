import zlib from 'node:zlib';
import type { ServerPicker, WeightedServer } from './Distribution';
import { weightedBuckets } from './weightedBuckets';

/**
 * `crc32(key) % buckets`: gomemcache's ServerList (`crc32.ChecksumIEEE(key) % len(addrs)`), the
 * client under the Go original, so a Node service sharing a cache with it finds the same keys when
 * both list the servers in the same order. The CRC is over the key's UTF-8 bytes, as Go's string bytes.
 * A server of weight w fills w consecutive buckets; with every weight 1 this is gomemcache exactly.
 */
export function modula(servers: readonly WeightedServer[]): ServerPicker {
  const buckets = weightedBuckets(servers);
  if (buckets.length === 1) return () => 0;
  return (key) => buckets[crc32(key) % buckets.length] as number;
}

// zlib.crc32 arrived in Node 20.15; the table version keeps Node 20.0-20.14 working.
const nativeCrc32 = (zlib as { crc32?: (data: string) => number }).crc32;

/** CRC-32/IEEE (the zlib and Go `crc32.ChecksumIEEE` one) of a string's UTF-8 bytes, unsigned. */
export const crc32: (text: string) => number = nativeCrc32 ?? tableCrc32;

let table: Uint32Array | undefined;

/** The same CRC computed in JavaScript, for Node versions without `zlib.crc32`. */
export function tableCrc32(text: string): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
