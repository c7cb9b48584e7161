import type { Socket } from 'node:net';
import type { ServerAddress } from '../config/parseServers';
import { openSocket, type TransportSettings } from '../transport/openSocket';
import type { MemjsServer } from './memjsServer';

// The rest of memjs 1.3.2's Server that its sock() touches (node_modules/memjs/lib/memjs/server.js).
interface SockingServer extends MemjsServer {
  listSasl(): void;
  onConnect(go: (socket: Socket) => void): void;
  once(event: 'authenticated', listener: () => void): unknown;
}

/**
 * memjs's `Server.prototype.sock`, with the socket opened by src/transport/ (TCP, TLS or a UNIX
 * socket) instead of memjs's `net.connect(port, host)`: memjs has no TLS and no path. Only "case 1"
 * (no socket yet) changes; a socket still connecting or ready is memjs's own code. memjs keeps
 * SASL and the protocol: on `ready` it runs the SASL exchange (or none) exactly as in memjs.
 *
 * Differences from memjs, each on purpose:
 * - The transport's deadline covers connect and TLS handshake, and says which timed out; memjs's
 *   connect timeout (here: what is left of `connectTimeoutMs`) then covers only SASL.
 * - No `close` handler is installed: the port's socket tracking (MemjsPort.ts) installs the only one.
 * - Keep-alive stays off, as the port configures memjs.
 */
export function transportSock(address: ServerAddress, settings: TransportSettings): MemjsServer['sock'] {
  return function sock(this: MemjsServer, sasl, go) {
    const self = this as SockingServer;
    if (self._socket !== undefined) return memjsSock.call(self, sasl, go);
    self.connected = false;
    const opened = performance.now();
    const socket = openSocket(address, settings, {
      ready() {
        if (self._socket !== socket) return;
        // memjs leaves Nagle on: a request written while an earlier one is unanswered would wait for
        // the peer's delayed ACK (the meta adapter turns it off too).
        socket.setNoDelay(true);
        // The server answered the connect: that is something received too (MemcachedPort.received).
        self.received++;
        self.once('authenticated', () => {
          if (self._socket !== socket) return;
          self.connected = true;
          socket.setTimeout(0);
          self.timeoutSet = false;
          go(socket);
          for (const callback of self.connectCallbacks) callback(socket);
          self.connectCallbacks = [];
        });
        socket.on('data', self.reader());
        // The same message as memjs's connect timeout, which the port reports as a TimeoutError.
        const left = Math.max(1, settings.connectTimeoutMs - (performance.now() - opened));
        socket.setTimeout(left, () => {
          if (self._socket !== socket || self.connected) return;
          self.timeoutSet = false;
          socket.end();
          self._socket = undefined;
          self.error(new Error('socket timed out connecting to server.'));
        });
        if (self.username && self.password) self.listSasl();
        else self.emit('authenticated');
      },
      failed(err) {
        if (self._socket === socket) self.error(err);
      },
    });
    self._socket = socket;
    // memjs arms no request timeout while its connect timeout is pending (write() checks this).
    self.timeoutSet = true;
  };
}

// memjs's own cases 2 and 3: a socket that is still connecting or authenticating queues `go`, a
// ready one (or a SASL write on a connecting one) runs it now.
function memjsSock(this: SockingServer, sasl: boolean, go: (socket: Socket) => void): void {
  const socket = this._socket as Socket;
  if (!this.connected && !sasl) this.onConnect(go);
  else go(socket);
}
