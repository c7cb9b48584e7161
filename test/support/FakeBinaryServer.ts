import { once } from 'node:events';
import net from 'node:net';

/** One request as a fake binary server reads it. */
export interface BinaryRequest {
  readonly opcode: number;
  readonly opaque: number;
  readonly key: Buffer;
}

/**
 * A misbehaving memcached on loopback, speaking just enough of the binary protocol: each request
 * is handed to `onRequest` with the socket, which answers (or does not) as the test wants.
 */
export class FakeBinaryServer {
  readonly sockets = new Set<net.Socket>();
  /** Connections accepted so far. */
  accepted = 0;
  private constructor(
    readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(onRequest: (request: BinaryRequest, socket: net.Socket) => void): Promise<FakeBinaryServer> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const fake = new FakeBinaryServer(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (socket) => {
      fake.accepted++;
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
      socket.on('error', () => {});
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 24) {
          const bodyBytes = pending.readUInt32BE(8);
          if (pending.length < 24 + bodyBytes) break;
          const extrasBytes = pending[4]!;
          const keyBytes = pending.readUInt16BE(2);
          const key = pending.subarray(24 + extrasBytes, 24 + extrasBytes + keyBytes);
          onRequest({ opcode: pending[1]!, opaque: pending.readUInt32BE(12), key }, socket);
          pending = pending.subarray(24 + bodyBytes);
        }
      });
    });
    return fake;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** A response header (magic 0x81) for `request` with `status` and `bodyBytes` of body to follow. */
export function responseHeader(request: BinaryRequest, status: number, bodyBytes = 0): Buffer {
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header[1] = request.opcode;
  header.writeUInt16BE(status, 6);
  header.writeUInt32BE(bodyBytes, 8);
  header.writeUInt32BE(request.opaque, 12);
  return header;
}
