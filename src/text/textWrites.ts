import type { WireItem } from '../port/MemcachedPort';
import { IN_PLACE_BODY_BYTES, type TickWriter } from '../transport/TickWriter';
import { writeBody, writeDecimal } from '../transport/writeAscii';
import { writeKey } from '../transport/writeUtf8';

// The hot get and set, built in place in the connection's TickWriter buffer (as meta's are,
// src/meta/inPlaceRequests.ts): the key is the only string, usually copied from the bytes its
// validation kept. A setMulti's stores are written the same way, into a buffer of their own.

const ascii = (char: string): number => char.charCodeAt(0);
const [SPACE, CR, LF] = [ascii(' '), ascii('\r'), ascii('\n')];
const GET = Buffer.from('get ', 'latin1');
const SET = Buffer.from('set ', 'latin1');
/** Room for a decimal uint32 and the space before it. */
const NUMBER_BYTES = 11;

/** `get <key>\r\n`. */
export function writeGet(writer: TickWriter, key: string): void {
  const at = writer.reserve(4 + 3 * key.length + 2);
  const buf = writer.slab;
  GET.copy(buf, at);
  const end = writeKey(buf, at + 4, key);
  buf[end] = CR;
  buf[end + 1] = LF;
  writer.commit(end + 2 - at);
}

/** `set <key> <flags> <expiration> <n>\r\n<value>\r\n`. */
export function writeSet(writer: TickWriter, key: string, value: Buffer, flags: number, expiration: number): void {
  if (value.length > IN_PLACE_BODY_BYTES) {
    writer.write(`${storeLine('set', key, flags, expiration, value.length)}\r\n`, value, '\r\n');
    return;
  }
  const at = writer.reserve(4 + 3 * key.length + 3 * NUMBER_BYTES + 4 + value.length);
  const buf = writer.slab;
  writer.commit(writeSetAt(buf, at, key, value, flags, expiration) - at);
}

/** A setMulti's `set` requests, one after the other, in one buffer. */
export function setBatchBytes(items: readonly WireItem[]): Buffer {
  let room = 0;
  for (const item of items) room += 4 + 3 * item.key.length + 3 * NUMBER_BYTES + 4 + item.value.length;
  const buf = Buffer.allocUnsafe(room);
  let end = 0;
  for (const { key, value, flags, expiration } of items) end = writeSetAt(buf, end, key, value, flags, expiration);
  return buf.subarray(0, end);
}

/** `<command> <key> <flags> <expiration> <n>`: a store's line, without its CRLF (its value follows). */
export function storeLine(command: string, key: string, flags: number, expiration: number, bytes: number): string {
  return `${command} ${key} ${flags} ${expiration} ${bytes}`;
}

function writeSetAt(buf: Buffer, at: number, key: string, value: Buffer, flags: number, expiration: number): number {
  SET.copy(buf, at);
  let end = writeKey(buf, at + 4, key);
  buf[end] = SPACE;
  end = writeDecimal(buf, end + 1, flags);
  buf[end] = SPACE;
  end = writeDecimal(buf, end + 1, expiration);
  buf[end] = SPACE;
  end = writeDecimal(buf, end + 1, value.length);
  return writeBody(buf, end, value);
}
