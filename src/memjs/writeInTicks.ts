import type { Socket } from 'node:net';
import { TickWriter } from '../transport/TickWriter';

// The parts of memjs's Server (memjsServer.ts) that writing uses.
interface WritingServer {
  _socket?: Socket;
  connected: boolean;
  write(request: Buffer): void;
  writer(): TickWriter | undefined;
  inFlight: { readonly size: number };
  sock(sasl: boolean, go: (socket: Socket) => void): void;
}

/**
 * memjs writes each request with its own socket.write() (one syscall per call), through a closure
 * per request. Here a connected socket's requests go through a TickWriter (src/transport/), as the
 * meta adapter's do: a tick's requests leave in one write. A new socket gets a new writer, so what
 * waited for one that failed within the tick is not written to the next.
 *
 * Before the socket is ready (connecting, SASL) a request goes through memjs's sock(), which holds
 * it until then; `writer()` is undefined then, so a request built in place is built only for a
 * ready socket.
 */
export function writeInTicks(server: WritingServer): void {
  let socketOfWriter: Socket | undefined;
  let writer: TickWriter | undefined;
  server.writer = function (this: WritingServer) {
    const socket = this._socket;
    if (socket === undefined || !this.connected) return undefined;
    if (socket !== socketOfWriter || writer === undefined) {
      writer?.drop();
      socketOfWriter = socket;
      writer = new TickWriter(socket, { awaiting: () => this.inFlight.size });
    }
    return writer;
  };
  server.write = function (this: WritingServer, request: Buffer) {
    const ready = this.writer();
    if (ready === undefined) this.sock(false, (socket) => socket.write(request));
    else ready.write(request);
  };
}
