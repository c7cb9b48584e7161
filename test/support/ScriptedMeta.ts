import { once } from 'node:events';
import net from 'node:net';

/** One meta request line as a scripted server read it, and how to answer it. */
export interface ScriptedRequest {
  readonly line: string;
  /** The request's key (the second word). */
  readonly key: string;
  /** ` O<n>` when the request carries an opaque, else '' : what memcached appends to its answers. */
  readonly opaque: string;
  /** Requests read so far on this connection, this one included. */
  readonly index: number;
  readonly socket: net.Socket;
  /** Writes raw bytes (nothing once the socket is gone). */
  write(bytes: string | Buffer): void;
}

/**
 * A hostile "memcached" on loopback for the meta adapter: every request line (`mg`, `ms`'s data is
 * skipped) is handed to `script`, which answers what it wants, right or wrong. `version` (the probe)
 * is answered for it.
 */
export class ScriptedMeta {
  readonly sockets = new Set<net.Socket>();
  connections = 0;

  private constructor(
    readonly server: net.Server,
    readonly port: number,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(script: (request: ScriptedRequest) => void): Promise<ScriptedMeta> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const fake = new ScriptedMeta(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (socket) => {
      fake.connections++;
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
      socket.on('error', () => {});
      const write = (bytes: string | Buffer) => {
        if (!socket.destroyed) socket.write(bytes);
      };
      let pending = '';
      let index = 0;
      socket.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
          const line = pending.slice(0, end);
          const words = line.split(' ');
          let consumed = end + 2;
          if (words[0] === 'ms') {
            consumed += Number(words[2]) + 2;
            if (pending.length < consumed) return;
          }
          pending = pending.slice(consumed);
          if (line === 'version') {
            write('VERSION 1.6.0-scripted\r\n');
            continue;
          }
          const opaque = words.find((w) => /^O\d+$/.test(w));
          script({ line, key: words[1] ?? '', opaque: opaque ? ` ${opaque}` : '', index: ++index, socket, write });
        }
      });
    });
    return fake;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}
