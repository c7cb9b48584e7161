import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/core/errors';
import { writeGet } from '../../../src/meta/inPlaceRequests';
import { MetaConnection, type MetaRequest } from '../../../src/meta/MetaConnection';
import { EARLY_REQUESTS } from '../../../src/transport/TickWriter';
import { fakeLineSocket } from '../../support/fakeLineSocket';

/** A connection over a fake socket that records its writes; `answer` feeds it bytes as memcached would. */
function connection() {
  const { open, writes, ready, destroyed, answer } = fakeLineSocket();
  const conn = new MetaConnection({ open, server: 'fake:11211', onData: () => {} });
  ready();
  const answered: string[] = [];
  const failed: Array<[string, Error]> = [];
  /** A get of `key`, whose handler records each answer (or does `handle` instead); returns its id. */
  const get = (key: string, handle?: () => boolean): number => {
    const request: MetaRequest = {
      span: 1,
      id: 0,
      handle: (response) => handle?.() ?? answered.push(`${key} ${response.line}`) > 0,
      fail: (err) => failed.push([key, err]),
    };
    const writer = conn.expect(request);
    if (writer !== undefined) writeGet(writer, key, request.id);
    return request.id;
  };
  return {
    conn,
    writes,
    get,
    answered,
    failed,
    destroyed,
    answer,
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const gets = (ids: Map<string, number>, keys: string[]) => keys.map((k) => `mg ${k} v f O${ids.get(k)}\r\n`).join('');

describe('MetaConnection: when memcached has answered everything, a busy tick does not keep it waiting', () => {
  it(`writes the tick's first ${EARLY_REQUESTS} gets at once, and the rest at its end`, async () => {
    const c = connection();
    const ids = new Map<string, number>();
    ids.set('a', c.get('a'));
    ids.set('b', c.get('b'));
    await tick();
    expect(c.writes).toEqual([gets(ids, ['a']), gets(ids, ['b'])]);
    const keys = Array.from({ length: EARLY_REQUESTS + 2 }, (_, i) => `k${i}`);
    // b still waits for its answer: memcached has work, so the tick's requests wait for its end.
    c.writes.length = 0;
    for (const k of keys) ids.set(k, c.get(k));
    expect(c.writes).toEqual([]);
    await tick();
    expect(c.writes).toEqual([gets(ids, keys)]);
    // Every request answered: memcached is idle, and the next tick's first ones go at once.
    c.answer(['a', 'b', ...keys].map((k) => `EN O${ids.get(k)}\r\n`).join(''));
    expect(c.answered).toHaveLength(2 + keys.length);
    c.writes.length = 0;
    for (const k of keys) ids.set(k, c.get(k));
    expect(c.writes).toEqual([gets(ids, keys.slice(0, EARLY_REQUESTS))]);
    await tick();
    expect(c.writes).toEqual([gets(ids, keys.slice(0, EARLY_REQUESTS)), gets(ids, keys.slice(EARLY_REQUESTS))]);
  });
});

describe('MetaConnection: what fails it', () => {
  it('destroy() fails every request in flight with its error, closes the socket, and fails later requests at once', async () => {
    const c = connection();
    c.get('a');
    c.get('b');
    const err = new ConnectionError(new Error('gone'));
    c.conn.destroy(err);
    c.conn.destroy(new ConnectionError(new Error('again')));
    await tick();
    expect(c.failed).toEqual([
      ['a', err],
      ['b', err],
    ]);
    expect(c.destroyed()).toBe(1);
    expect(c.conn.alive).toBe(false);
    c.get('c');
    expect(c.failed.at(-1)).toEqual(['c', err]);
    // Bytes still arriving on the dead socket go nowhere.
    c.answer('EN O0\r\n');
    expect(c.answered).toEqual([]);
  });

  it.each([
    ['an answer when no request waits', [], 'EN O0\r\n'],
    ["an answer with another request's id", ['a', 'b'], 'EN O1\r\nEN O0\r\n'],
    ['an answer without the id its request carries', ['a'], 'EN\r\n'],
    ['a value that does not end where its size says', ['a'], 'VA 2 f0 O0\r\nabc\r\n'],
  ])('%s fails the connection and every request in flight with a ConnectionError', async (_, keys, bytes) => {
    const c = connection();
    for (const k of keys) c.get(k);
    c.answer(bytes);
    await tick();
    expect(c.answered).toEqual([]);
    expect(c.conn.alive).toBe(false);
    expect(c.destroyed()).toBe(1);
    expect(c.failed.map(([k]) => k)).toEqual(keys);
    for (const [, err] of c.failed) expect(err).toBeInstanceOf(ConnectionError);
  });

  it('a handler that throws fails the connection with a ConnectionError, and every request after it', async () => {
    const c = connection();
    c.get('a', () => {
      throw new Error('cannot read this');
    });
    c.get('b');
    c.answer('EN O0\r\nEN O1\r\n');
    await tick();
    expect(c.conn.alive).toBe(false);
    expect(c.answered).toEqual([]);
    expect(c.failed.map(([k, err]) => [k, err instanceof ConnectionError, err.message])).toEqual([
      ['a', true, 'memcached connection failed: cannot read this'],
      ['b', true, 'memcached connection failed: cannot read this'],
    ]);
  });

  it('abandon() drops the connection only once bytes came on it', async () => {
    const c = connection();
    c.get('a');
    c.conn.abandon();
    expect(c.conn.alive).toBe(true);
    c.answer('VA 10 f0 O0\r\nabc');
    c.conn.abandon();
    await tick();
    expect(c.conn.alive).toBe(false);
    expect(c.failed.map(([k]) => k)).toEqual(['a']);
  });
});

describe('MetaConnection: request ids', () => {
  it('stay below 100000, at most five digits in a request and its answer, and a batch never crosses the wrap', () => {
    const c = connection();
    const ids = [99_990, 1, 20, 1].map((span) => {
      const request: MetaRequest = { span, id: -1, handle: () => true, fail: () => {} };
      c.conn.expect(request);
      return request.id;
    });
    expect(ids).toEqual([0, 99_990, 0, 20]);
  });
});
