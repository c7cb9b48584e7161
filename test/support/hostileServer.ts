import type { Protocol } from '../../src/config/protocol';
import { FakeBinaryServer } from './FakeBinaryServer';
import { ScriptedMeta } from './ScriptedMeta';

/** A get as a hostile server received it, in any protocol, and the answers it can give. */
export interface HostileGet {
  readonly key: string;
  /** Gets read so far on this connection, this one included. */
  readonly index: number;
  /** The right answer: a hit of `value` (flags 0), carrying this get's id. */
  hit(value: string): Buffer;
  /** A header announcing a value of `bytes` for this get, and nothing after it. */
  header(bytes: number): Buffer;
  write(bytes: Buffer): void;
}

export interface HostileServer {
  readonly address: string;
  close(): Promise<void>;
}

const OP_GET = 0x00;

/** A loopback server speaking `protocol` that answers each get as `script` says, right or wrong. */
export async function startHostile(protocol: Protocol, script: (get: HostileGet) => void): Promise<HostileServer> {
  if (protocol === 'meta') {
    return ScriptedMeta.start((r) => {
      if (!r.line.startsWith('mg ')) throw new Error(`unexpected request ${r.line}`);
      script({
        key: r.key,
        index: r.index,
        hit: (value) => Buffer.from(`VA ${Buffer.byteLength(value)} f0${r.opaque}\r\n${value}\r\n`),
        header: (bytes) => Buffer.from(`VA ${bytes} f0${r.opaque}\r\n`),
        write: r.write,
      });
    });
  }
  if (protocol === 'text') {
    // The classic protocol's answers carry no id: a wrong one is told by its key or its place.
    return ScriptedMeta.start((r) => {
      if (!r.line.startsWith('get ')) throw new Error(`unexpected request ${r.line}`);
      script({
        key: r.key,
        index: r.index,
        hit: (value) => Buffer.from(`VALUE ${r.key} 0 ${Buffer.byteLength(value)}\r\n${value}\r\nEND\r\n`),
        header: (bytes) => Buffer.from(`VALUE ${r.key} 0 ${bytes}\r\n`),
        write: r.write,
      });
    });
  }
  const seen = new WeakMap<object, number>();
  return FakeBinaryServer.start((request, socket) => {
    if (request.opcode !== OP_GET) throw new Error(`unexpected opcode ${request.opcode}`);
    const index = (seen.get(socket) ?? 0) + 1;
    seen.set(socket, index);
    const header = (bodyBytes: number) => {
      const bytes = Buffer.alloc(28);
      bytes[0] = 0x81;
      bytes[1] = OP_GET;
      bytes[4] = 4;
      bytes.writeUInt32BE(bodyBytes + 4, 8);
      bytes.writeUInt32BE(request.opaque, 12);
      return bytes;
    };
    script({
      key: request.key.toString(),
      index,
      hit: (value) => Buffer.concat([header(Buffer.byteLength(value)), Buffer.from(value)]),
      header: (bytes) => header(bytes),
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
    });
  });
}
