import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { SocketListener } from '../../src/transport/openSocket';

/**
 * A socket for a connection's `open` that records its writes as strings and counts its destroys;
 * `ready` tells the connection it is open, `answer` feeds it bytes as memcached would.
 */
export function fakeLineSocket() {
  const writes: string[] = [];
  let destroyed = 0;
  const socket = Object.assign(new EventEmitter(), {
    writable: true,
    write: (b: Buffer | string) => writes.push(Buffer.from(b).toString('latin1')) > 0,
    setNoDelay() {},
    destroy() {
      destroyed++;
    },
    cork() {},
    uncork() {},
  });
  let listener: SocketListener | undefined;
  const open = (l: SocketListener) => {
    listener = l;
    return socket as unknown as Socket;
  };
  return {
    open,
    writes,
    ready: () => listener?.ready(),
    destroyed: () => destroyed,
    answer: (text: string) => socket.emit('data', Buffer.from(text, 'latin1')),
  };
}
