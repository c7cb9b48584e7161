import { IN_PLACE_BODY_BYTES, type TickWriter } from '../transport/TickWriter';
import { writeKey } from '../transport/writeUtf8';
import { storeHeader } from './metaRequests';

// The hot get and set, built in place in the connection's TickWriter buffer. As strings they cost
// more than their I/O would suggest: a header made by a template literal is a cons string, which
// is flattened when it is written, so writing `ms <key> <n>\r\n` took 140-220 ns (a loop over
// 1,000 keys); written piece by piece here, the key is the only string, and its bytes are
// usually those its validation kept (writeKey).

// The ASCII codes the requests are made of.
const ascii = (char: string): number => char.charCodeAt(0);
const [M, G, S, V, F, T, f] = [ascii('m'), ascii('g'), ascii('s'), ascii('v'), ascii('F'), ascii('T'), ascii('f')];
const [SPACE, CR, LF] = [ascii(' '), ascii('\r'), ascii('\n')];
/** Room for a decimal uint32 and the space before it. */
const NUMBER_BYTES = 11;

/** `mg <key> v f\r\n`: the value and its flags. */
export function writeGet(writer: TickWriter, key: string): void {
  const at = writer.reserve(3 + 3 * key.length + 6);
  const buf = writer.slab;
  let end = writeCommand(buf, at, G, key);
  buf[end] = V;
  buf[end + 1] = SPACE;
  buf[end + 2] = f;
  buf[end + 3] = CR;
  buf[end + 4] = LF;
  end += 5;
  writer.commit(end - at);
}

/**
 * `ms <key> <n> F<flags> T<expiration>\r\n<value>\r\n`. memcached's own defaults (flags 0, no
 * expiry) go unsaid: a shorter request for it to parse.
 */
export function writeSet(writer: TickWriter, key: string, value: Buffer, flags: number, expiration: number): void {
  const defaults = flags === 0 && expiration === 0;
  if (value.length > IN_PLACE_BODY_BYTES) {
    const header = defaults ? `ms ${key} ${value.length}\r\n` : storeHeader(key, value, `F${flags} T${expiration}`);
    writer.write(header, value, '\r\n');
    return;
  }
  const at = writer.reserve(3 + 3 * key.length + 3 * NUMBER_BYTES + 2 + value.length + 2);
  const buf = writer.slab;
  let end = writeDecimal(buf, writeCommand(buf, at, S, key), value.length);
  if (!defaults) {
    buf[end] = SPACE;
    buf[end + 1] = F;
    end = writeDecimal(buf, end + 2, flags);
    buf[end] = SPACE;
    buf[end + 1] = T;
    end = writeDecimal(buf, end + 2, expiration);
  }
  buf[end] = CR;
  buf[end + 1] = LF;
  buf.set(value, end + 2);
  end += 2 + value.length;
  buf[end] = CR;
  buf[end + 1] = LF;
  writer.commit(end + 2 - at);
}

/** Writes `m<letter> <key> ` at `at`; returns where it ends. */
function writeCommand(buf: Buffer, at: number, letter: number, key: string): number {
  buf[at] = M;
  buf[at + 1] = letter;
  buf[at + 2] = SPACE;
  const end = writeKey(buf, at + 3, key);
  buf[end] = SPACE;
  return end + 1;
}

/** Writes `n`, a whole number in [0, 2^32) (validated before), in decimal; returns where it ends. */
function writeDecimal(buf: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}
