// Pipelined requests: many quiet requests and one NOOP in one buffer, written in one go. memcached
// answers a quiet request only when it has something to say (a hit, a refusal), then the NOOP, so
// the NOOP's reply says the batch is over.
import type { WireItem } from '../port/MemcachedPort';
import { HEADER_BYTES } from './binaryProtocol';
import { storeBytes, utf8Length, writeFrame, writeHeader, writeStore } from './binaryRequest';

/**
 * A quiet key request (`opcode`: GETKQ, DELETEQ) per key, then `endOpcode` (NOOP), all with the
 * same opaque: the answers need no telling apart (a GETKQ hit carries its key).
 */
export function multiKeyRequest(opcode: number, endOpcode: number, keys: readonly string[], opaque: number): Buffer {
  let size = HEADER_BYTES;
  const lengths = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const keyBytes = utf8Length(keys[i]!);
    lengths[i] = keyBytes;
    size += HEADER_BYTES + keyBytes;
  }
  const buf = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let i = 0; i < keys.length; i++) {
    offset = writeFrame(buf, offset, opcode, keys[i]!, lengths[i]!, 0, undefined, opaque);
  }
  writeHeader(buf, offset, endOpcode, 0, 0, 0, opaque);
  return buf;
}

/**
 * A quiet store (`opcode`: SETQ) per item, each with its own opaque from `opaques` (a refusal
 * carries no key: its opaque names the item), then `endOpcode` (NOOP) with `endOpaque`.
 */
export function multiStoreRequest(
  opcode: number,
  endOpcode: number,
  items: readonly WireItem[],
  opaques: readonly number[],
  endOpaque: number,
): Buffer {
  let size = HEADER_BYTES;
  const lengths = new Array<number>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const keyBytes = utf8Length(item.key);
    lengths[i] = keyBytes;
    size += storeBytes(keyBytes, item.value);
  }
  const buf = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let i = 0; i < items.length; i++) {
    const { key, value, flags, expiration } = items[i]!;
    offset = writeStore(buf, offset, opcode, key, lengths[i]!, value, flags, expiration, opaques[i]!);
  }
  writeHeader(buf, offset, endOpcode, 0, 0, 0, endOpaque);
  return buf;
}
