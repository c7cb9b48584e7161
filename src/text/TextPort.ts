import type { Item } from '../api/Item';
import { DEFAULTS } from '../config/options';
import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import { ConnectionSlot } from '../connection/ConnectionSlot';
import { MAX_LINE_BYTES } from '../connection/LineReader';
import { OneAnswer, readOk, readVersion, statsReader } from '../connection/lineRequests';
import { ServerError } from '../core/errors';
import type { KeyBytes } from '../core/KeyBytes';
import type {
  CasItem,
  CounterMode,
  MemcachedPort,
  PortFactory,
  StoreMode,
  StoreStatus,
  WireItem,
} from '../port/MemcachedPort';
import { type Outcome, promised } from '../port/Outcome';
import type { TransportSettings } from '../transport/openSocket';
import type { TickWriter } from '../transport/TickWriter';
import { CoalescedGets } from './CoalescedGets';
import type { TextResponse } from './TextResponse';
import { deleteMultiBatch, getMultiBatch, setMultiBatch, type TextBatch } from './textBatches';
import { type TextConnection, textConnection } from './textConnection';
import { OneRetrieval, readCounter, readFound, readStored, storeStatus, type TextRequest } from './textRequests';
import { storeLine, writeSet } from './textWrites';

/** The resolved options the text port reads: how sockets are opened, the largest value accepted. */
export interface TextPortSettings extends TransportSettings {
  readonly maxValueBytes?: number;
}

/** A factory of ports speaking memcached's classic text protocol: one socket per port, pipelined. */
export function textPortFactory(settings: TextPortSettings): PortFactory {
  return (server) => new TextPort(server, settings);
}

// What `add` answers when refused, as the binary protocol names it (see StoreStatus).
const REFUSED: Record<StoreMode, StoreStatus> = { set: 'not_stored', add: 'exists', replace: 'not_found' };

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

  constructor(address: ServerAddress, settings: TextPortSettings) {
    const limits = { maxValueBytes: settings.maxValueBytes ?? DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };
    const server = formatServer(address);
    this.#slot = new ConnectionSlot((onData) => textConnection(address, settings, server, limits, onData));
    this.#gets = new CoalescedGets(this.#slot, server);
  }

  get received(): number {
    return this.#slot.received;
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

  gets(key: string): Promise<CasItem | undefined> {
    return promised((outcome) => this.#send(new OneRetrieval('gets', key, true, outcome), `gets ${key}\r\n`));
  }

  gat(key: string, expiration: number): Promise<Item | undefined> {
    return promised((outcome) =>
      this.#send(new OneRetrieval('gat', key, false, outcome), `gat ${expiration} ${key}\r\n`),
    );
  }

  touch(key: string, expiration: number): Promise<boolean> {
    return this.#one(`touch ${key} ${expiration}\r\n`, (response) => readFound(response, 'touch', 'TOUCHED'));
  }

  getMulti(keys: readonly string[]): Promise<Map<string, Item>> {
    if (keys.length === 0) return Promise.resolve(new Map());
    const connection = this.#slot.current();
    return this.#batch(getMultiBatch(keys, () => connection && this.#gets.retire(connection)));
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    return promised((outcome) => this.setInto({ key, value, flags, expiration }, outcome));
  }

  store(mode: StoreMode, item: WireItem): Promise<StoreStatus> {
    const line = storeLine(mode, item.key, item.flags, item.expiration, item.value.length);
    return this.#one(`${line}\r\n`, (response) => storeStatus(response, REFUSED[mode]), item.value);
  }

  cas(item: WireItem, cas: bigint): Promise<StoreStatus> {
    const line = storeLine('cas', item.key, item.flags, item.expiration, item.value.length);
    return this.#one(`${line} ${cas}\r\n`, (response) => storeStatus(response, 'not_stored'), item.value);
  }

  concat(mode: 'append' | 'prepend', key: string, value: Buffer): Promise<StoreStatus> {
    const line = storeLine(mode, key, 0, 0, value.length);
    return this.#one(`${line}\r\n`, (response) => storeStatus(response, 'not_stored'), value);
  }

  delete(key: string): Promise<boolean> {
    return this.#one(`delete ${key}\r\n`, (response) => readFound(response, 'delete', 'DELETED'));
  }

  /**
   * `incr`/`decr`; the text protocol creates no counter, so an absent key with an `initial` is
   * created by an `add` of it (answering `initial`, as the binary protocol does), and counted
   * again if another client created it first.
   */
  async counter(
    mode: CounterMode,
    key: string,
    delta: bigint,
    initial: bigint | undefined,
    expiration: number,
  ): Promise<bigint | undefined> {
    const move = `${mode} ${key} ${delta}\r\n`;
    const moved = await this.#one(move, readCounter);
    if (moved !== undefined || initial === undefined) return moved;
    const value = Buffer.from(String(initial), 'latin1');
    const created = await this.store('add', { key, value, flags: 0, expiration });
    return created === 'stored' ? initial : this.#one(move, readCounter);
  }

  setMulti(items: readonly WireItem[]): Promise<string[]> {
    if (items.length === 0) return Promise.resolve([]);
    return this.#batch(setMultiBatch(items));
  }

  deleteMulti(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return this.#batch(deleteMultiBatch(keys));
  }

  flush(): Promise<void> {
    return this.#one('flush_all\r\n', readOk);
  }

  stats(): Promise<Map<string, string>> {
    return this.#batch({ bytes: 'stats\r\n', request: statsReader });
  }

  version(): Promise<string> {
    return this.#one('version\r\n', readVersion);
  }

  /**
   * The probe's round trip: `version` (a fresh port's first request opens its socket). An error
   * line is an answer too: a proxy answers `SERVER_ERROR` when the backend it asks is down, and
   * the proxy itself is then as alive as any server that answers.
   */
  ping(): Promise<void> {
    return this.version().then(noop, (err: unknown) => {
      if (!(err instanceof ServerError)) throw err;
    });
  }

  abandon(): void {
    this.#slot.abandon();
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
