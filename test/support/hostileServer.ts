import type { Socket } from 'node:net';
import { DEFAULTS } from '../../src/config/options';
import type { Protocol } from '../../src/config/protocol';
import { FakeBinaryServer } from './FakeBinaryServer';
import { ScriptedMeta } from './ScriptedMeta';
import type { Transport } from './transports';

/** A get as a hostile server received it, in any protocol, and the answers it can give. */
export interface HostileGet {
  readonly key: string;
  /** Gets read so far on this connection, this one included. */
  readonly index: number;
  /** The right answer: a hit of `value` (flags 0), carrying this get's id. */
  hit(value: string): Buffer;
  /** A header announcing a value of `bytes` for this get, and nothing after it. */
  header(bytes: number): Buffer;
  /** An answer no server of the protocol gives (a size that is not a number, a wrong magic byte). */
  malformed(): Buffer;
  /** Bytes that open an answer that any amount of filler after them never ends (a line; a value under the limit). */
  endless(): Buffer;
  write(bytes: Buffer): void;
  readonly socket: Socket;
}

export interface HostileServer {
  readonly address: string;
  /** The connections open on it now. */
  readonly sockets: ReadonlySet<Socket>;
  close(): Promise<void>;
}

const OP_GET = 0x00;

type Start = (script: (get: HostileGet) => void, transport: Transport) => Promise<HostileServer>;

/**
 * A server speaking `protocol` over `transport` (TCP on 127.0.0.1 by default, TLS, a UNIX socket)
 * that answers each get as `script` says, right or wrong.
 */
export function startHostile(
  protocol: Protocol,
  script: (get: HostileGet) => void,
  transport: Transport = 'tcp',
): Promise<HostileServer> {
  return HOSTILE[protocol](script, transport);
}

// One fake per protocol: a protocol added to the client needs its own here (the record's type asks).
const startMeta: Start = (script, transport) =>
  ScriptedMeta.start((r) => {
    if (!r.line.startsWith('mg ')) throw new Error(`unexpected request ${r.line}`);
    script({
      key: r.key,
      index: r.index,
      hit: (value) => Buffer.from(`VA ${Buffer.byteLength(value)} f0${r.opaque}\r\n${value}\r\n`),
      header: (bytes) => Buffer.from(`VA ${bytes} f0${r.opaque}\r\n`),
      malformed: () => Buffer.from(`VA 1/ f0${r.opaque}\r\nabcdefghi\r\n`),
      endless: () => Buffer.alloc(0),
      write: r.write,
      socket: r.socket,
    });
  }, transport);

// The classic protocol's answers carry no id: a wrong one is told by its key or its place.
const startText: Start = (script, transport) =>
  ScriptedMeta.start((r) => {
    if (!r.line.startsWith('get ')) throw new Error(`unexpected request ${r.line}`);
    script({
      key: r.key,
      index: r.index,
      hit: (value) => Buffer.from(`VALUE ${r.key} 0 ${Buffer.byteLength(value)}\r\n${value}\r\nEND\r\n`),
      header: (bytes) => Buffer.from(`VALUE ${r.key} 0 ${bytes}\r\n`),
      malformed: () => Buffer.from(`VALUE ${r.key} 0 1/\r\nabcdefghi\r\nEND\r\n`),
      endless: () => Buffer.alloc(0),
      write: r.write,
      socket: r.socket,
    });
  }, transport);

const startBinary: Start = (script, transport) => {
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
      malformed: () => {
        const bytes = header(1);
        bytes[0] = 0x42;
        return bytes;
      },
      endless: () => header(DEFAULTS.maxValueBytes - 1024),
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      socket,
    });
  }, transport);
};

const HOSTILE: Record<Protocol, Start> = { binary: startBinary, meta: startMeta, text: startText };
