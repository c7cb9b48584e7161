import type { Socket } from 'node:net';

// The parts of memjs's Server (memjsServer.ts) that writing uses.
interface WritingServer {
  _socket?: Socket;
  connected: boolean;
  write(request: Buffer): void;
  sock(sasl: boolean, go: (socket: Socket) => void): void;
}

/** Requests up to this size are joined into one buffer; a larger one is written as it is (no copy). */
const JOIN_BELOW = 16 * 1024;

/**
 * memjs writes each request with its own socket.write() (one syscall per call: at 64 callers over
 * half of the process's CPU time in a profile), through a closure per request. Here the requests
 * of one tick are kept in a list and leave in one write at the end of the tick: joined into one
 * buffer when small (one chunk for the socket's queue, instead of one per request), corked into
 * one writev when one is large. The wait is no longer than the current run of JavaScript.
 *
 * A lone request is written at once: waiting for the end of the tick cost a lone caller about 8%
 * of its rate. Once a tick makes more than one request, the rest of it waits, and while ticks keep
 * making several, the next tick's wait from the first one on.
 *
 * Before the socket is ready (connecting, SASL) a request goes through memjs's sock(), which holds
 * it until then.
 */
export function writeInTicks(server: WritingServer): void {
  let writes = 0;
  let busy = false;
  // The requests waiting for the end of the tick, and the socket they are for.
  let waiting: Buffer[] = [];
  let bytes = 0;
  let large = false;
  let target: Socket | undefined;
  const endOfTick = () => {
    busy = writes > 1;
    writes = 0;
    const out = waiting;
    const socket = target;
    const joined = bytes;
    const join = !large;
    waiting = [];
    target = undefined;
    bytes = 0;
    large = false;
    // The socket failed meanwhile: its requests' exchanges failed with it.
    if (out.length === 0 || socket === undefined || socket !== server._socket || !server.connected) return;
    if (out.length === 1) socket.write(out[0] as Buffer);
    else if (join) socket.write(Buffer.concat(out, joined));
    else {
      socket.cork();
      for (const request of out) socket.write(request);
      socket.uncork();
    }
  };
  server.write = function (this: WritingServer, request: Buffer) {
    const socket = this._socket;
    if (socket === undefined || !this.connected) {
      this.sock(false, (ready) => ready.write(request));
      return;
    }
    if (writes++ === 0) {
      process.nextTick(endOfTick);
      if (!busy) {
        socket.write(request);
        return;
      }
    }
    if (target !== socket) {
      // A new socket within the tick: what waited was for the one that failed.
      waiting = [];
      bytes = 0;
      large = false;
      target = socket;
    }
    waiting.push(request);
    bytes += request.length;
    if (request.length >= JOIN_BELOW) large = true;
  };
}
