import type { Item } from '../api/Item';
import { isError } from '../connection/lineRequests';
import type { WireItem } from '../port/MemcachedPort';
import type { TextResponse } from './TextResponse';
import { Answers, MultiRetrieval, readFound, storeStatus, type TextRequest } from './textRequests';
import { setBatchBytes } from './textWrites';

/** What a multi-key command writes, and the request that reads its answers. */
export interface TextBatch<T> {
  readonly bytes: string | Buffer;
  request(resolve: (value: T) => void, reject: (err: unknown) => void): TextRequest;
}

/**
 * The longest `get` line a getMulti writes, its CRLF included. memcached reads a request line into
 * a 2048-byte buffer and takes a longer one only for `get`/`gets` (proto_text.c); a line within
 * it stays within what proxies and other servers of the protocol read in one piece too.
 */
export const MAX_GET_LINE_BYTES = 2048;

/**
 * `get k1 k2 ...` lines, each within `MAX_GET_LINE_BYTES` (a key is at most 250 bytes, so each
 * line holds at least one), answered by their hits then `END`: one request reads them all.
 * `refused` hears of an error line in place of a line's answer.
 */
export function getMultiBatch(keys: readonly string[], refused?: () => void): TextBatch<Map<string, Item>> {
  let bytes = '';
  let lines = 0;
  let lineBytes = 0;
  for (const key of keys) {
    const keyBytes = Buffer.byteLength(key);
    if (lineBytes === 0 || lineBytes + 1 + keyBytes + 2 > MAX_GET_LINE_BYTES) {
      if (lineBytes > 0) bytes += '\r\n';
      bytes += `get ${key}`;
      lineBytes = 4 + keyBytes;
      lines++;
    } else {
      bytes += ` ${key}`;
      lineBytes += 1 + keyBytes;
    }
  }
  return {
    bytes: `${bytes}\r\n`,
    request: (resolve, reject) => new MultiRetrieval(keys, lines, resolve, reject, refused),
  };
}

/**
 * A `set` per item, pipelined, never `noreply` (which would hide a refusal): every item answers,
 * in order. Resolves with the keys memcached refused (an error line, e.g. a value too large).
 */
export function setMultiBatch(items: readonly WireItem[]): TextBatch<string[]> {
  const read = (response: TextResponse, index: number, refused: string[]): void => {
    // An error line refuses this item only; storeStatus fails the connection on any other shape.
    if (isError(response) || storeStatus(response, 'not_stored') !== 'stored') refused.push(items[index]!.key);
  };
  return {
    bytes: setBatchBytes(items),
    request: (resolve, reject) => new Answers<string[]>(items.length, [], read, resolve, reject),
  };
}

/** A `delete` per key, pipelined: DELETED or NOT_FOUND each (absent keys are not an error). */
export function deleteMultiBatch(keys: readonly string[]): TextBatch<void> {
  let bytes = '';
  for (const key of keys) bytes += `delete ${key}\r\n`;
  return {
    bytes,
    request: (resolve, reject) =>
      new Answers<undefined>(
        keys.length,
        undefined,
        (response) => readFound(response, 'delete', 'DELETED'),
        resolve,
        reject,
      ),
  };
}
