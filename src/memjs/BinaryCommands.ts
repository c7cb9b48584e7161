import type { Item } from '../api/Item';
import type { KeyBytes } from '../core/KeyBytes';
import { promiseFor } from '../core/promiseFor';
import type { MemcachedPort, WireItem } from '../port/MemcachedPort';
import { type Outcome, PromiseOutcome, promised } from '../port/Outcome';
import type { PortCommand } from '../port/PortCommand';
import { IN_PLACE_BODY_BYTES, type TickWriter } from '../transport/TickWriter';
import type { BinaryWire } from './BinaryWire';
import { OP_GET, OP_SET, OP_VERSION } from './binaryProtocol';
import { emptyRequest, keyRequest, storeRequest, writeKeyRequest, writeStoreRequest } from './binaryRequest';
import { type ResponseReader, readGet, readPing, readSet } from './responseReaders';

/** What `BinarySocket.expect` takes: the request's opaque, its reader, its key, its outcome. */
export type Expect = <T>(
  opaque: number,
  read: ResponseReader<T>,
  key: string,
  outcome: Outcome<T>,
  also?: readonly number[],
) => void;

/**
 * One connection's socket, as the binary commands use it (memjs's here, MemjsPort.ts): request ids,
 * how a request is expected and written, and the port's lifecycle.
 */
export interface BinarySocket {
  /** A request id (the header's opaque) that no request in flight on this connection has. */
  nextOpaque(): number;
  /**
   * Delivers to `outcome` what `read` makes of the responses whose opaque is `opaque` (or one of
   * `also`: parts of a pipelined request with their own), once it has its answer. The caller
   * writes the request right after.
   */
  readonly expect: Expect;
  /** Writes a request whole. */
  write(request: Buffer): void;
  /** Where a request can be built in place: undefined while the connection is not ready for one. */
  writer(): TickWriter | undefined;
  readonly received: number;
  abandon(): void;
  close(): void;
}

/**
 * The port over memcached's binary protocol: every command, which request and what its responses
 * mean, composed with the socket that carries them (`BinarySocket`).
 */
export class BinaryCommands implements MemcachedPort {
  readonly #socket: BinarySocket;
  // What the commands' binary parts are handed (src/commands/), made once.
  readonly #wire: BinaryWire = {
    nextOpaque: () => this.#socket.nextOpaque(),
    exchange: (request, opaque, read, key, also) => this.#exchange(request, opaque, read, key, also),
  };

  /** The socket's: drops it when nobody waits on it any more (the connection core's rule). */
  readonly abandon: () => void;
  /** The socket's: closes it and fails the calls still pending on it. */
  readonly close: () => void;

  constructor(socket: BinarySocket) {
    this.#socket = socket;
    this.abandon = () => socket.abandon();
    this.close = () => socket.close();
  }

  get received(): number {
    return this.#socket.received;
  }

  // `expect`, then the request written. Parameters one by one, not a rest tuple: that would be an
  // array made and taken apart per call.
  #send<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    outcome: Outcome<T>,
    also?: readonly number[],
  ): void {
    this.#socket.expect(opaque, read, key, outcome, also);
    this.#socket.write(request);
  }

  /** `#send`, its outcome as a promise. */
  #exchange<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    also?: readonly number[],
  ): Promise<T> {
    const outcome = new PromiseOutcome<T>();
    const answer = promiseFor(outcome);
    this.#send(request, opaque, read, key, outcome, also);
    return answer;
  }

  getInto(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void {
    const opaque = this.#socket.nextOpaque();
    const writer = this.#socket.writer();
    if (writer === undefined) {
      this.#send(keyRequest(OP_GET, key, opaque), opaque, readGet, key, outcome);
      return;
    }
    this.#socket.expect(opaque, readGet, key, outcome);
    writeKeyRequest(writer, OP_GET, key, opaque, kept);
  }

  setInto(item: WireItem, outcome: Outcome<void>, kept?: KeyBytes): void {
    const opaque = this.#socket.nextOpaque();
    const writer = this.#socket.writer();
    if (writer === undefined || item.value.length > IN_PLACE_BODY_BYTES) {
      const { key, value, flags, expiration } = item;
      this.#send(storeRequest(OP_SET, key, value, flags, expiration, opaque), opaque, readSet, key, outcome);
      return;
    }
    this.#socket.expect(opaque, readSet, item.key, outcome);
    writeStoreRequest(writer, OP_SET, item, opaque, kept);
  }

  command<A, T>(command: PortCommand<A, T>, args: A): Promise<T> {
    return command.binary(this.#wire, args);
  }

  get(key: string): Promise<Item | undefined> {
    return promised((outcome) => this.getInto(key, outcome));
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    return promised((outcome) => this.setInto({ key, value, flags, expiration }, outcome));
  }

  ping(): Promise<void> {
    const opaque = this.#socket.nextOpaque();
    return this.#exchange(emptyRequest(OP_VERSION, opaque), opaque, readPing, '');
  }
}
