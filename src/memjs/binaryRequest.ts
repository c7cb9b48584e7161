// memcached binary protocol requests, each built in one buffer. memjs's makeRequestBuffer makes
// five Buffers per request (key, extras and value converted, the header, the result; two of them
// zero-filled): on the get/set hot path that was a measurable share of the client's CPU time.
// Headers and ASCII keys are written byte by byte: Buffer's write/writeUInt*/fill each cost a
// bounds-checked call, which made a 100-key multi-get request take 20 us to build.

const HEADER_BYTES = 24;
const MAGIC_REQUEST = 0x80;
const SET_EXTRAS_BYTES = 8;

/** A request with a key only (GET, DELETE, ...). */
export function keyRequest(opcode: number, key: string, opaque: number): Buffer {
  const keyBytes = utf8Length(key);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + keyBytes);
  writeHeader(buf, 0, opcode, keyBytes, 0, keyBytes, opaque);
  writeKey(buf, HEADER_BYTES, key, keyBytes);
  return buf;
}

/** A SET-like request: extras (flags, expiration), key, value. */
export function storeRequest(
  opcode: number,
  key: string,
  value: Buffer,
  flags: number,
  expiration: number,
  opaque: number,
): Buffer {
  const keyBytes = utf8Length(key);
  const bodyBytes = SET_EXTRAS_BYTES + keyBytes + value.length;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + bodyBytes);
  writeHeader(buf, 0, opcode, keyBytes, SET_EXTRAS_BYTES, bodyBytes, opaque);
  writeUint32(buf, HEADER_BYTES, flags);
  writeUint32(buf, HEADER_BYTES + 4, expiration);
  writeKey(buf, HEADER_BYTES + SET_EXTRAS_BYTES, key, keyBytes);
  value.copy(buf, HEADER_BYTES + SET_EXTRAS_BYTES + keyBytes);
  return buf;
}

/** A request with no key, extras or value (NOOP, VERSION). */
export function emptyRequest(opcode: number, opaque: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(buf, 0, opcode, 0, 0, 0, opaque);
  return buf;
}

/**
 * A pipelined multi-get in one buffer: a quiet get (`opcode`, GETKQ) per key, then `endOpcode`
 * (NOOP), all with the same opaque. memcached answers only the hits, then the NOOP.
 */
export function multiGetRequest(opcode: number, endOpcode: number, keys: readonly string[], opaque: number): Buffer {
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
    const keyBytes = lengths[i]!;
    writeHeader(buf, offset, opcode, keyBytes, 0, keyBytes, opaque);
    writeKey(buf, offset + HEADER_BYTES, keys[i]!, keyBytes);
    offset += HEADER_BYTES + keyBytes;
  }
  writeHeader(buf, offset, endOpcode, 0, 0, 0, opaque);
  return buf;
}

/** Writes a whole request header at `offset`: every byte, the buffer may be unzeroed. */
function writeHeader(
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

/** UTF-8 length of a well-formed string (keys are validated before they get here). */
function utf8Length(s: string): number {
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

function writeKey(buf: Buffer, offset: number, key: string, keyBytes: number): void {
  if (keyBytes !== key.length) {
    buf.write(key, offset, keyBytes, 'utf8');
    return;
  }
  for (let i = 0; i < keyBytes; i++) buf[offset + i] = key.charCodeAt(i);
}
