import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/config/options';
import { MAX_LINE_BYTES } from '../../../src/connection/LineReader';
import { ConnectionError, ServerError } from '../../../src/core/errors';
import { TextReader } from '../../../src/text/TextReader';
import type { TextResponse } from '../../../src/text/TextResponse';
import { MultiRetrieval, OneRetrieval, readCounter, type TextRequest } from '../../../src/text/textRequests';

const LIMITS = { maxValueBytes: DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };

/** Feeds `bytes` to `request` as a connection would; returns what it threw, if anything. */
function answer(request: TextRequest, bytes: string): unknown {
  const deliver = (response: TextResponse): boolean => {
    request.handle(response);
    return true;
  };
  const reader = new TextReader(deliver, LIMITS, 'test:11211');
  try {
    reader.feed(Buffer.from(bytes, 'latin1'));
  } catch (err) {
    return err;
  }
  return undefined;
}

function outcome<T>() {
  const seen: { value?: T; error?: unknown } = {};
  return {
    seen,
    outcome: { succeeded: (value: T) => (seen.value = value), failed: (error: unknown) => (seen.error = error) },
  };
}

describe('text requests: answers paired by order, checked by their shape', () => {
  it("a get reads its key's value then END, a miss is END alone", () => {
    const hit = outcome();
    expect(answer(new OneRetrieval('get', 'k', false, hit.outcome), 'VALUE k 3 1\r\nv\r\nEND\r\n')).toBeUndefined();
    expect(hit.seen.value).toEqual({ key: 'k', value: Buffer.from('v'), flags: 3 });
    const miss = outcome();
    answer(new OneRetrieval('get', 'k', false, miss.outcome), 'END\r\n');
    expect(miss.seen).toEqual({ value: undefined });
  });

  it("a value for another key is another request's answer: the connection fails", () => {
    const got = outcome();
    expect(answer(new OneRetrieval('get', 'k', false, got.outcome), 'VALUE other 0 1\r\nv\r\nEND\r\n')).toBeInstanceOf(
      ConnectionError,
    );
  });

  it("an error line is the server's (or a proxy's) refusal: a ServerError, the connection stays", () => {
    const got = outcome();
    expect(
      answer(new OneRetrieval('get', 'k', false, got.outcome), 'SERVER_ERROR Connection refused\r\n'),
    ).toBeUndefined();
    expect(got.seen.error).toBeInstanceOf(ServerError);
  });

  it('a getMulti takes its hits in the order asked, each once, across its lines', () => {
    let items: Map<string, unknown> | undefined;
    const request = new MultiRetrieval(
      ['a', 'b', 'c'],
      2,
      (found) => (items = found),
      () => {},
    );
    expect(answer(request, 'VALUE a 0 1\r\n1\r\nEND\r\nVALUE c 0 1\r\n3\r\nEND\r\n')).toBeUndefined();
    expect([...(items?.keys() ?? [])]).toEqual(['a', 'c']);
    const outOfOrder = new MultiRetrieval(
      ['a', 'b'],
      1,
      () => {},
      () => {},
    );
    expect(answer(outOfOrder, 'VALUE b 0 1\r\n2\r\nVALUE a 0 1\r\n1\r\nEND\r\n')).toBeInstanceOf(ConnectionError);
  });

  it('a getMulti refused by an error line answers at once and says so', () => {
    let refused = 0;
    let error: unknown;
    const request = new MultiRetrieval(
      ['a', 'b'],
      2,
      () => {},
      (err) => (error = err),
      () => refused++,
    );
    answer(request, 'SERVER_ERROR Connection refused\r\n');
    expect(error).toBeInstanceOf(ServerError);
    expect(refused).toBe(1);
  });

  it('a counter that shrank answers padded with spaces, read as its number', () => {
    let value: bigint | undefined;
    const deliver = (response: TextResponse): boolean => {
      value = readCounter(response);
      return true;
    };
    const reader = new TextReader(deliver, LIMITS, 'test');
    reader.feed(Buffer.from('9 \r\n', 'latin1'));
    expect(value).toBe(9n);
  });
});
