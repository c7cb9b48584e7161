import type { Item } from '../api/Item';
import { DEFAULTS } from '../config/options';
import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import { ConnectionSlot } from '../connection/ConnectionSlot';
import { MAX_LINE_BYTES } from '../connection/LineReader';
import { OneAnswer, readVersion } from '../connection/lineRequests';
import { ServerError } from '../core/errors';
import type { KeyBytes } from '../core/KeyBytes';
import type { MemcachedPort, PortFactory, WireItem } from '../port/MemcachedPort';
import { type Outcome, promised } from '../port/Outcome';
import type { PortCommand } from '../port/PortCommand';
import type { TransportSettings } from '../transport/openSocket';
import type { TickWriter } from '../transport/TickWriter';
import { CoalescedGets } from './CoalescedGets';
import type { TextResponse } from './TextResponse';
import type { TextWire } from './TextWire';
import type { TextBatch } from './textBatches';
import { type TextConnection, textConnection } from './textConnection';
import { OneRetrieval, readStored, type TextRequest } from './textRequests';
import { writeSet } from './textWrites';

/** The resolved options the text port reads: how sockets are opened, the largest value accepted. */
export interface TextPortSettings extends TransportSettings {
  readonly maxValueBytes?: number;
}

/** A factory of ports speaking memcached's classic text protocol: one socket per port, pipelined. */
export function textPortFactory(settings: TextPortSettings): PortFactory {
  return (server) => new TextPort(server, settings);
}

/**
 * The port over memcached's classic text protocol (get, set, ..., the commands proxies such as
 * twemproxy and mcrouter speak): the connection core with the text reader plugged in. Its answers
 * carry no id, so each is its request's by order; an answer of the wrong shape fails the connection.
 */
export class TextPort implements MemcachedPort {
  // One connection at a time, opened on demand (a fresh port's first request opens its socket).
  readonly #slot: ConnectionSlot<TextConnection>;
  // The single-key gets, those of a tick joined into one line (CoalescedGets.ts).
  readonly #gets: CoalescedGets;
  // What the commands' text parts are handed (src/commands/), made once.
  readonly #wire: TextWire = {
    one: (line, read, value) => this.#one(line, read, value),
    batch: (batch) => this.#batch(batch),
    retireOnRefusal: () => {
      const connection = this.#slot.current();
      return () => connection && this.#gets.retire(connection);
    },
    retrieve: (command, key, withCas, line) =>
      promised((outcome) => this.#send(new OneRetrieval(command, key, withCas, outcome), line)),
  };

  constructor(address: ServerAddress, settings: TextPortSettings) {
    const limits = { maxValueBytes: settings.maxValueBytes ?? DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };
    const server = formatServer(address);
    this.#slot = new ConnectionSlot((onData) => textConnection(address, settings, server, limits, onData));
    this.#gets = new CoalescedGets(this.#slot, server);
  }

  command<A, T>(command: PortCommand<A, T>, args: A): Promise<T> {
    return command.text(this.#wire, args);
  }

  get(key: string): Promise<Item | undefined> {
    return promised((outcome) => this.getInto(key, outcome));
  }

  getInto(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void {
    this.#gets.get(key, outcome, kept);
  }

  setInto(item: WireItem, outcome: Outcome<void>): void {
    const { key, value, flags, expiration } = item;
    const writer = this.#expect(new OneAnswer<void, TextResponse>(key, readStored, outcome, 0));
    if (writer !== undefined) writeSet(writer, key, value, flags, expiration);
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    return promised((outcome) => this.setInto({ key, value, flags, expiration }, outcome));
  }

  /**
   * The probe's round trip: `version` (a fresh port's first request opens its socket). An error
   * line is an answer too: a proxy answers `SERVER_ERROR` when the backend it asks is down, and
   * the proxy itself is then as alive as any server that answers.
   */
  ping(): Promise<void> {
    return this.#one('version\r\n', readVersion).then(noop, (err: unknown) => {
      if (!(err instanceof ServerError)) throw err;
    });
  }

  abandon(): void {
    this.#slot.abandon();
  }

  get received(): number {
    return this.#slot.received;
  }

  close(): void {
    this.#slot.close();
  }

  // A request of one answer line, read by `read`; `value` and its CRLF follow the line (a store).
  #one<T>(line: string, read: (response: TextResponse) => T, value?: Buffer): Promise<T> {
    return promised((outcome) => this.#send(new OneAnswer<T, TextResponse>('', read, outcome, 0), line, value));
  }

  // A request of several answers: a batch, or stats.
  #batch<T>({ bytes, request }: TextBatch<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.#send(request(resolve, reject), bytes));
  }

  #send(request: TextRequest, bytes: string | Buffer, value?: Buffer): void {
    this.#expect(request)?.write(bytes, value, value === undefined ? undefined : '\r\n');
  }

  // The writer `request`'s bytes go to; none, and the request failed, once the port is closed.
  #expect(request: TextRequest): TickWriter | undefined {
    return this.#slot.current((err) => request.fail(err))?.expect(request);
  }
}

const noop = (): void => {};
