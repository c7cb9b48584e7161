import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { writeGet } from '../../../src/meta/inPlaceRequests';
import { MetaConnection, type MetaRequest } from '../../../src/meta/MetaConnection';
import type { SocketListener } from '../../../src/transport/openSocket';
import { EARLY_REQUESTS } from '../../../src/transport/TickWriter';

/** A connection over a fake socket that records its writes; `answer` feeds it bytes as memcached would. */
function connection() {
  const writes: string[] = [];
  const socket = Object.assign(new EventEmitter(), {
    writable: true,
    write: (b: Buffer) => writes.push(Buffer.from(b).toString('latin1')) > 0,
    setNoDelay() {},
    destroy() {},
    cork() {},
    uncork() {},
  });
  let listener: SocketListener | undefined;
  const open = (l: SocketListener) => {
    listener = l;
    return socket as unknown as Socket;
  };
  const conn = new MetaConnection({ open, server: 'fake:11211', onData: () => {} });
  listener?.ready();
  const answered: string[] = [];
  const get = (key: string) => {
    const request: MetaRequest = {
      handle: (response) => answered.push(`${key} ${response.line}`) > 0,
      fail: () => {},
    };
    const writer = conn.expect(request);
    if (writer !== undefined) writeGet(writer, key);
  };
  return { writes, get, answered, answer: (text: string) => socket.emit('data', Buffer.from(text, 'latin1')) };
}

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
const gets = (keys: string[]) => keys.map((k) => `mg ${k} v f\r\n`).join('');

describe('MetaConnection: when memcached has answered everything, a busy tick does not keep it waiting', () => {
  it(`writes the tick's first ${EARLY_REQUESTS} gets at once, and the rest at its end`, async () => {
    const c = connection();
    c.get('a');
    c.get('b');
    await tick();
    expect(c.writes).toEqual([gets(['a']), gets(['b'])]);
    const keys = Array.from({ length: EARLY_REQUESTS + 2 }, (_, i) => `k${i}`);
    // b still waits for its answer: memcached has work, so the tick's requests wait for its end.
    c.writes.length = 0;
    for (const k of keys) c.get(k);
    expect(c.writes).toEqual([]);
    await tick();
    expect(c.writes).toEqual([gets(keys)]);
    // Every request answered: memcached is idle, and the next tick's first ones go at once.
    c.answer('EN\r\n'.repeat(2 + keys.length));
    expect(c.answered).toHaveLength(2 + keys.length);
    c.writes.length = 0;
    for (const k of keys) c.get(k);
    expect(c.writes).toEqual([gets(keys.slice(0, EARLY_REQUESTS))]);
    await tick();
    expect(c.writes).toEqual([gets(keys.slice(0, EARLY_REQUESTS)), gets(keys.slice(EARLY_REQUESTS))]);
  });
});
