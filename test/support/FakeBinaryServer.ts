import type net from 'node:net';
import { type Listener, listenOver, type Transport } from './transports';

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
  #listener: Listener | undefined;
  private constructor() {}

  /** Starts it over `transport` (TCP on 127.0.0.1 by default; TLS with the test certificates; a UNIX socket). */
  static async start(
    onRequest: (request: BinaryRequest, socket: net.Socket) => void,
    transport: Transport = 'tcp',
  ): Promise<FakeBinaryServer> {
    const fake = new FakeBinaryServer();
    fake.#listener = await listenOver(transport, (socket) => {
      fake.accepted++;
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
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

  /** The address to give a client: `127.0.0.1:port`, or the UNIX socket's path. */
  get address(): string {
    return this.#listener!.address;
  }

  async close(): Promise<void> {
    await this.#listener?.close();
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
