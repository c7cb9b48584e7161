import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/api/Item';
import { DEFAULTS } from '../../../src/config/options';
import { MAX_LINE_BYTES } from '../../../src/connection/LineReader';
import { ConnectionError, ServerError } from '../../../src/core/errors';
import type { Outcome } from '../../../src/port/Outcome';
import { GetBatch, type GetBatchOwner } from '../../../src/text/GetBatch';
import { TextReader } from '../../../src/text/TextReader';
import type { TextResponse } from '../../../src/text/TextResponse';
import { MAX_GET_LINE_BYTES } from '../../../src/text/textBatches';
import type { TextConnection } from '../../../src/text/textConnection';

const LIMITS = { maxValueBytes: DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };
const CONNECTION = {} as TextConnection;

/** An outcome that records what it was handed. */
function caller() {
  const seen: { value?: Item | undefined; error?: unknown; settled: number } = { settled: 0 };
  const outcome: Outcome<Item | undefined> = {
    succeeded: (value) => {
      seen.value = value;
      seen.settled++;
    },
    failed: (error) => {
      seen.error = error;
      seen.settled++;
    },
  };
  return { seen, outcome };
}

/** An owner that records what the batch handed it. */
function owner(resends = false) {
  const log = { refused: 0, resent: [] as string[] };
  const value: GetBatchOwner = {
    refused: (batch) => {
      log.refused++;
      for (const [key] of batch.unanswered()) log.resent.push(key);
    },
    resends: () => resends,
    resend: (key) => log.resent.push(key),
  };
  return { log, value };
}

/** A batch of `keys`, each with its caller, its line taken as the writer would. */
function batchOf(keys: string[], batchOwner = owner().value) {
  const callers = keys.map(() => caller());
  const batch = new GetBatch(batchOwner, CONNECTION, keys[0]!, Buffer.byteLength(keys[0]!), callers[0]!.outcome);
  for (let i = 1; i < keys.length; i++) {
    expect(batch.join(keys[i]!, Buffer.byteLength(keys[i]!), callers[i]!.outcome)).toBe(true);
  }
  return { batch, callers, line: batch.text() };
}

/** Feeds `bytes` to `batch` as a connection would; returns what it threw, if anything. */
function answer(batch: GetBatch, bytes: string): unknown {
  const reader = new TextReader(
    (response: TextResponse) => {
      batch.handle(response);
      return true;
    },
    LIMITS,
    'test:11211',
  );
  try {
    reader.feed(Buffer.from(bytes, 'latin1'));
  } catch (err) {
    return err;
  }
  return undefined;
}

const hit = (key: string, value: string) => `VALUE ${key} 0 ${value.length}\r\n${value}\r\n`;

describe('GetBatch: the single-key gets of a tick as one get line', () => {
  it('joins keys until its line leaves, duplicates included; a lone key is the plain get line', () => {
    expect(batchOf(['a']).line).toBe('get a\r\n');
    const { batch, line } = batchOf(['a', 'b', 'a']);
    expect(line).toBe('get a b a\r\n');
    // Its text has been taken: a later caller starts a line of its own.
    expect(batch.join('c', 1, caller().outcome)).toBe(false);
  });

  it('each caller gets its own answer, in key order: hits, misses (omitted), and duplicates answered per occurrence', () => {
    const { batch, callers } = batchOf(['a', 'miss', 'b', 'a', 'miss']);
    expect(answer(batch, `${hit('a', '1')}${hit('b', '2')}${hit('a', '3')}END\r\n`)).toBeUndefined();
    expect(callers.map(({ seen }) => seen.value?.value.toString())).toEqual(['1', undefined, '2', '3', undefined]);
    expect(callers.map(({ seen }) => seen.settled)).toEqual([1, 1, 1, 1, 1]);
  });

  it('stops joining at memcached 2048-byte key line, its CRLF included', () => {
    const key = (i: number) => `${i}-`.padEnd(200, 'k');
    const first = caller();
    const batch = new GetBatch(owner().value, CONNECTION, key(0), 200, first.outcome);
    let joined = 1;
    while (batch.join(key(joined), 200, caller().outcome)) joined++;
    const line = batch.text();
    expect(joined).toBe(10);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_GET_LINE_BYTES);
    expect(Buffer.byteLength(line) + 201).toBeGreaterThan(MAX_GET_LINE_BYTES);
  });

  it('a VALUE for a key not asked for, or out of order, fails the connection', () => {
    const stranger = batchOf(['a', 'b']);
    expect(answer(stranger.batch, `${hit('zz', '1')}END\r\n`)).toBeInstanceOf(ConnectionError);
    const reversed = batchOf(['a', 'b']);
    expect(answer(reversed.batch, `${hit('b', '2')}${hit('a', '1')}END\r\n`)).toBeInstanceOf(ConnectionError);
    // The connection fails the keys still unanswered; `b` had its answer, and keeps it.
    reversed.batch.fail(new ConnectionError(new Error('desync')));
    expect(reversed.callers.map(({ seen }) => seen.settled)).toEqual([1, 1]);
    expect(reversed.callers[0]!.seen.value).toBeUndefined();
    expect(reversed.callers[1]!.seen.value?.value.toString()).toBe('2');
  });

  it("an error line refuses a lone key (the caller's ServerError); for several keys it hands them to the owner", () => {
    const lone = batchOf(['a']);
    expect(answer(lone.batch, 'SERVER_ERROR backend down\r\n')).toBeUndefined();
    expect(lone.callers[0]!.seen.error).toBeInstanceOf(ServerError);
    const proxy = owner();
    const several = batchOf(['a', 'b', 'c'], proxy.value);
    expect(answer(several.batch, `${hit('a', '1')}SERVER_ERROR backend down\r\n`)).toBeUndefined();
    expect(proxy.log).toEqual({ refused: 1, resent: ['b', 'c'] });
    expect(several.callers.map(({ seen }) => seen.settled)).toEqual([1, 0, 0]);
  });

  it('a failed connection fails each unanswered caller, or has them sent again when the owner says so', () => {
    const failed = batchOf(['a', 'b']);
    const err = new ConnectionError(new Error('closed'));
    failed.batch.fail(err);
    expect(failed.callers.map(({ seen }) => seen.error)).toEqual([err, err]);
    const proxy = owner(true);
    const resent = batchOf(['a', 'b', 'c'], proxy.value);
    answer(resent.batch, hit('a', '1'));
    resent.batch.fail(new ServerError(new Error('closed by the proxy')));
    expect(proxy.log.resent).toEqual(['b', 'c']);
    // Done: a second failure hands nothing again.
    resent.batch.fail(err);
    expect(proxy.log.resent).toEqual(['b', 'c']);
  });
});
