// memcached binary protocol requests, each built in one buffer. memjs's makeRequestBuffer makes
// five Buffers per request (key, extras and value converted, the header, the result; two of them
// zero-filled): on the get/set hot path that was a measurable share of the client's CPU time.
// Headers and ASCII keys are written byte by byte: Buffer's write/writeUInt*/fill each cost a
// bounds-checked call, which adds up over a multi-get's keys.

import type { KeyBytes } from '../core/KeyBytes';
import type { WireItem } from '../port/MemcachedPort';
import type { TickWriter } from '../transport/TickWriter';
import { writeKey } from '../transport/writeUtf8';
import { HEADER_BYTES, MAGIC_REQUEST } from './binaryProtocol';

const STORE_EXTRAS_BYTES = 8; // flags, expiration
const COUNTER_EXTRAS_BYTES = 20; // delta (8), initial (8), expiration (4)
const EXPIRATION_EXTRAS_BYTES = 4;
const NO_CAS = 0n;
/**
 * Writes a request with a key only (GET, ...), built in place in `writer`'s buffer. `kept`: the
 * bytes the key's validation kept (writeKey).
 */
export function writeKeyRequest(
  writer: TickWriter,
  opcode: number,
  key: string,
  opaque: number,
  kept: KeyBytes | undefined,
): void {
  const keyBytes = utf8Length(key, kept);
  const bytes = HEADER_BYTES + keyBytes;
  const at = writer.reserve(bytes);
  writeFrame(writer.slab, at, opcode, key, keyBytes, 0, undefined, opaque, kept);
  writer.commit(bytes);
}

/** Writes a SET-like request of `item` (no CAS), built in place in `writer`'s buffer; `kept` as above. */
export function writeStoreRequest(
  writer: TickWriter,
  opcode: number,
  item: WireItem,
  opaque: number,
  kept: KeyBytes | undefined,
): void {
  const { key, value } = item;
  const keyBytes = utf8Length(key, kept);
  const bytes = storeBytes(keyBytes, value);
  const at = writer.reserve(bytes);
  writeStore(writer.slab, at, opcode, key, keyBytes, value, item.flags, item.expiration, opaque, kept);
  writer.commit(bytes);
}

/** A request with a key only (GET, DELETE, ...). */
export function keyRequest(opcode: number, key: string, opaque: number): Buffer {
  return frameRequest(opcode, key, 0, undefined, opaque);
}

/**
 * A SET-like request (SET, ADD, REPLACE): extras (flags, expiration), key, value. With `cas`, the
 * store happens only if the item's CAS value is still that (a CAS is a SET with the header's cas).
 */
export function storeRequest(
  opcode: number,
  key: string,
  value: Buffer,
  flags: number,
  expiration: number,
  opaque: number,
  cas: bigint = NO_CAS,
): Buffer {
  const keyBytes = utf8Length(key);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + STORE_EXTRAS_BYTES + keyBytes + value.length);
  writeStore(buf, 0, opcode, key, keyBytes, value, flags, expiration, opaque);
  if (cas !== NO_CAS) buf.writeBigUInt64BE(cas, 16);
  return buf;
}

/** APPEND, PREPEND: key and value, no extras. */
export function concatRequest(opcode: number, key: string, value: Buffer, opaque: number): Buffer {
  return frameRequest(opcode, key, 0, value, opaque);
}

/**
 * INCREMENT, DECREMENT: extras delta (64 bits), initial (64 bits), expiration. An expiration of
 * 0xffffffff means "do not create an absent key".
 */
export function counterRequest(
  opcode: number,
  key: string,
  delta: bigint,
  initial: bigint,
  expiration: number,
  opaque: number,
): Buffer {
  const buf = frameRequest(opcode, key, COUNTER_EXTRAS_BYTES, undefined, opaque);
  buf.writeBigUInt64BE(delta, HEADER_BYTES);
  buf.writeBigUInt64BE(initial, HEADER_BYTES + 8);
  writeUint32(buf, HEADER_BYTES + 16, expiration);
  return buf;
}

/** TOUCH, GAT: extras expiration, key. */
export function expirationRequest(opcode: number, key: string, expiration: number, opaque: number): Buffer {
  const buf = frameRequest(opcode, key, EXPIRATION_EXTRAS_BYTES, undefined, opaque);
  writeUint32(buf, HEADER_BYTES, expiration);
  return buf;
}

/** A request with no key, extras or value (NOOP, VERSION, FLUSH, STAT of everything). */
export function emptyRequest(opcode: number, opaque: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(buf, 0, opcode, 0, 0, 0, opaque);
  return buf;
}

/** One request in its own buffer, extras left for the caller to write right after the header. */
function frameRequest(
  opcode: number,
  key: string,
  extrasBytes: number,
  value: Buffer | undefined,
  opaque: number,
): Buffer {
  const keyBytes = utf8Length(key);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + extrasBytes + keyBytes + (value === undefined ? 0 : value.length));
  writeFrame(buf, 0, opcode, key, keyBytes, extrasBytes, value, opaque);
  return buf;
}

/** Bytes of a SET-like request for `key` (of `keyBytes`) and `value`. */
export function storeBytes(keyBytes: number, value: Buffer): number {
  return HEADER_BYTES + STORE_EXTRAS_BYTES + keyBytes + value.length;
}

/** Writes a SET-like request at `offset` (no CAS); returns where it ends. `kept`: as `writeFrame`'s. */
export function writeStore(
  buf: Buffer,
  offset: number,
  opcode: number,
  key: string,
  keyBytes: number,
  value: Buffer,
  flags: number,
  expiration: number,
  opaque: number,
  kept?: KeyBytes,
): number {
  const end = writeFrame(buf, offset, opcode, key, keyBytes, STORE_EXTRAS_BYTES, value, opaque, kept);
  writeUint32(buf, offset + HEADER_BYTES, flags);
  writeUint32(buf, offset + HEADER_BYTES + 4, expiration);
  return end;
}

/**
 * Writes one request at `offset`: header, room for `extrasBytes` of extras (the caller writes them,
 * right after the header), key, value. Returns where it ends. `kept`: the bytes the key's validation
 * kept, copied when they are this key's (writeKey).
 */
export function writeFrame(
  buf: Buffer,
  offset: number,
  opcode: number,
  key: string,
  keyBytes: number,
  extrasBytes: number,
  value: Buffer | undefined,
  opaque: number,
  kept?: KeyBytes,
): number {
  const valueBytes = value === undefined ? 0 : value.length;
  writeHeader(buf, offset, opcode, keyBytes, extrasBytes, extrasBytes + keyBytes + valueBytes, opaque);
  const keyAt = offset + HEADER_BYTES + extrasBytes;
  writeKey(buf, keyAt, key, kept);
  // TypedArray#set, not Buffer#copy: it is the cheaper of the two for small values.
  if (value !== undefined) buf.set(value, keyAt + keyBytes);
  return keyAt + keyBytes + valueBytes;
}

/** Writes a whole request header at `offset`: every byte, the buffer may be unzeroed. */
export function writeHeader(
  buf: Buffer,
  offset: number,
  opcode: number,
  keyBytes: number,
  extrasBytes: number,
  bodyBytes: number,
  opaque: number,
): void {
  buf[offset] = MAGIC_REQUEST;
  buf[offset + 1] = opcode;
  buf[offset + 2] = keyBytes >>> 8;
  buf[offset + 3] = keyBytes & 0xff;
  buf[offset + 4] = extrasBytes;
  buf[offset + 5] = 0; // data type
  buf[offset + 6] = 0; // vbucket
  buf[offset + 7] = 0;
  writeUint32(buf, offset + 8, bodyBytes);
  writeUint32(buf, offset + 12, opaque);
  for (let i = offset + 16; i < offset + HEADER_BYTES; i++) buf[i] = 0; // CAS
}

function writeUint32(buf: Buffer, offset: number, n: number): void {
  buf[offset] = n >>> 24;
  buf[offset + 1] = (n >>> 16) & 0xff;
  buf[offset + 2] = (n >>> 8) & 0xff;
  buf[offset + 3] = n & 0xff;
}

/**
 * UTF-8 length of a well-formed string (keys are validated before they get here); `kept`: the bytes
 * its validation kept, when it had them, so the key is not read again.
 */
export function utf8Length(s: string, kept?: KeyBytes): number {
  if (kept?.holds(s)) return s.length; // printable ASCII: its validation read it already
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}
