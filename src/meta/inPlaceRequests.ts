import type { KeyBytes } from '../core/KeyBytes';
import type { WireItem } from '../port/MemcachedPort';
import { IN_PLACE_BODY_BYTES, type TickWriter } from '../transport/TickWriter';
import { writeBody, writeDecimal } from '../transport/writeAscii';
import type { InPlace } from '../transport/writeInPlace';
import { writeKey } from '../transport/writeUtf8';
import { storeHeader } from './metaRequests';

// The hot get and set, built in place in the connection's TickWriter buffer. As strings they cost
// more than their I/O would suggest: a header made by a template literal is a cons string, which
// is flattened when it is written; written piece by piece here, the key is the only string, and
// its bytes are usually those its validation kept, handed down as `kept` (writeKey). A setMulti's stores are written the same way, into
// a buffer of their own.

// The ASCII codes the requests are made of.
const ascii = (char: string): number => char.charCodeAt(0);
const [M, G, S, V, F, T, f] = [ascii('m'), ascii('g'), ascii('s'), ascii('v'), ascii('F'), ascii('T'), ascii('f')];
const [N, O, D] = [ascii('n'), ascii('O'), ascii('d')];
const [SPACE, CR, LF] = [ascii(' '), ascii('\r'), ascii('\n')];
/** Room for a decimal uint32 and the space before it. */
const NUMBER_BYTES = 11;

/**
 * `mg <key> v f O<id>\r\n`: the value and its flags; `id` comes back with the answer. `kept`: the
 * bytes the key's validation kept (writeKey).
 */
export function writeGet(writer: TickWriter, key: string, id: number, kept?: KeyBytes): void {
  // `mg `, the key (3 bytes a UTF-16 unit at most), ` v f`, ` O` and the id, CRLF.
  // Written in one function, not through writeCommand and writeFlag: fewer calls for V8 to inline.
  const at = writer.reserve(3 + 3 * key.length + 4 + 1 + NUMBER_BYTES + 2);
  const buf = writer.slab;
  buf[at] = M;
  buf[at + 1] = G;
  buf[at + 2] = SPACE;
  let end = writeKey(buf, at + 3, key, kept);
  buf[end] = SPACE;
  buf[end + 1] = V;
  buf[end + 2] = SPACE;
  buf[end + 3] = f;
  buf[end + 4] = SPACE;
  buf[end + 5] = O;
  end = writeDecimal(buf, end + 6, id);
  buf[end] = CR;
  buf[end + 1] = LF;
  writer.commit(end + 2 - at);
}

/**
 * `ms <key> <n> F<flags> T<expiration> O<id>\r\n<value>\r\n` for `item`. memcached's own defaults (flags 0,
 * no expiry) go unsaid: a shorter request for it to parse. `kept`: as `writeGet`'s.
 */
export function writeSet(writer: TickWriter, item: WireItem, id: number, kept?: KeyBytes): void {
  const { key, value, flags, expiration } = item;
  const defaults = flags === 0 && expiration === 0;
  if (value.length > IN_PLACE_BODY_BYTES) {
    const header = storeHeader(key, value, defaults ? `O${id}` : `F${flags} T${expiration} O${id}`);
    writer.write(`${header}\r\n`, value, '\r\n');
    return;
  }
  const at = writer.reserve(3 + 3 * key.length + 4 * NUMBER_BYTES + 3 + 2 + value.length + 2);
  const buf = writer.slab;
  let end = writeDecimal(buf, writeCommand(buf, at, S, key, kept), value.length);
  if (!defaults) end = writeFlag(buf, writeFlag(buf, end, F, flags), T, expiration);
  writer.commit(writeBody(buf, writeFlag(buf, end, O, id), value) - at);
}

/**
 * A setMulti's requests, `ms <key> <n> F<flags> T<expiration> O<id + i>\r\n<value>\r\n` per item,
 * then `mn\r\n`, built in place in `writer`'s buffer: built as strings, each item would cost two
 * template literals, a Buffer of its own and a copy into the joined one.
 */
export function writeStoreBatch(writer: InPlace, items: readonly WireItem[], id: number): void {
  // Per item: `ms `, the key (3 bytes a UTF-16 unit at most), four numbers with their spaces, the
  // letters F, T and O, and the two CRLFs around the value. Then `mn\r\n`.
  let room = 4;
  for (const item of items) room += 3 + 3 * item.key.length + 4 * NUMBER_BYTES + 3 + 4 + item.value.length;
  const at = writer.reserve(room);
  const buf = writer.slab;
  let end = at;
  for (let i = 0; i < items.length; i++) {
    const { key, value, flags, expiration } = items[i]!;
    end = writeDecimal(buf, writeCommand(buf, end, S, key), value.length);
    end = writeFlag(buf, writeFlag(buf, end, F, flags), T, expiration);
    end = writeBody(buf, writeFlag(buf, end, O, id + i), value);
  }
  endBatch(writer, at, end);
}

/**
 * A batch of one request per key, `m<command> <key><flags> O<id + i>\r\n` (`flags`: ASCII with
 * its leading space, e.g. ` v f q`), then `mn\r\n`, built in place in `writer`'s buffer: as a
 * string, a getMulti of 100 keys was 100 template literals joined, then encoded; as a Buffer of its
 * own, room for its longest keys took it past the pool Node allocates small Buffers from.
 */
export function writeKeyBatch(
  writer: InPlace,
  command: 'g' | 'd',
  keys: readonly string[],
  flags: string,
  id: number,
): void {
  // Per key: `mX `, the key (3 bytes a UTF-16 unit at most), the flags, ` O`, the id, CRLF. Then `mn\r\n`.
  let room = 4;
  for (const key of keys) room += 3 + 3 * key.length + flags.length + 2 + NUMBER_BYTES + 2;
  const at = writer.reserve(room);
  const buf = writer.slab;
  const letter = command === 'g' ? G : D;
  let end = at;
  for (let i = 0; i < keys.length; i++) {
    // writeCommand leaves a space after the key: the flags' own leading space takes its place.
    end = writeCommand(buf, end, letter, keys[i]!) - 1;
    for (let j = 0; j < flags.length; j++) buf[end + j] = flags.charCodeAt(j);
    end = writeFlag(buf, end + flags.length, O, id + i);
    buf[end] = CR;
    buf[end + 1] = LF;
    end += 2;
  }
  endBatch(writer, at, end);
}

/** Writes `mn\r\n` at `end`, the end of a batch built in place from `at`, and commits the batch. */
function endBatch(writer: InPlace, at: number, end: number): void {
  const buf = writer.slab;
  buf[end] = M;
  buf[end + 1] = N;
  buf[end + 2] = CR;
  buf[end + 3] = LF;
  writer.commit(end + 4 - at);
}

/** Writes ` <letter><n>` at `at` (`n` a whole number in [0, 2^32)); returns where it ends. */
function writeFlag(buf: Buffer, at: number, letter: number, n: number): number {
  buf[at] = SPACE;
  buf[at + 1] = letter;
  return writeDecimal(buf, at + 2, n);
}

/** Writes `m<letter> <key> ` at `at`; returns where it ends. */
function writeCommand(buf: Buffer, at: number, letter: number, key: string, kept?: KeyBytes): number {
  buf[at] = M;
  buf[at + 1] = letter;
  buf[at + 2] = SPACE;
  const end = writeKey(buf, at + 3, key, kept);
  buf[end] = SPACE;
  return end + 1;
}
