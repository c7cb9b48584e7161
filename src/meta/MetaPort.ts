import type { Item } from '../api/Item';
import { DEFAULTS } from '../config/options';
import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import { ConnectionSlot } from '../connection/ConnectionSlot';
import { readOk, readVersion, statsReader } from '../connection/lineRequests';
import type { KeyBytes } from '../core/KeyBytes';
import { promiseFor } from '../core/promiseFor';
import type { Lease, LeasePort } from '../port/LeasePort';
import type { CasItem, MemcachedPort, PortFactory, StoreMode, StoreStatus, WireItem } from '../port/MemcachedPort';
import { type Outcome, PromiseOutcome, promised } from '../port/Outcome';
import { openSocket, type TransportSettings } from '../transport/openSocket';
import type { TickWriter } from '../transport/TickWriter';
import { writeGet, writeSet } from './inPlaceRequests';
import { MetaConnection, type MetaRequest } from './MetaConnection';
import { MAX_LINE_BYTES } from './MetaReader';
import type { MetaResponse } from './MetaResponse';
import { type Batch, deleteMultiBatch, getMultiBatch, giveBackBatch, setMultiBatch } from './metaBatches';
import {
  getsAnswer,
  invalidateRequest,
  leaseWithPlaceholder,
  type OneRequest,
  readRelease,
  releaseRequest,
} from './metaLeases';
import {
  classic,
  type GiveBack,
  NF,
  OneAnswer,
  readCounter,
  readFound,
  readItem,
  readStored,
  readTouched,
  storeHeader,
  storeStatus,
} from './metaRequests';

/** What the meta port reads of the resolved options: how sockets open (TransportSettings), `maxValueBytes`. */
export interface MetaPortSettings extends TransportSettings {
  readonly maxValueBytes?: number;
}

/** A factory of ports speaking memcached's meta protocol: one socket per port, pipelined. */
export function metaPortFactory(settings: MetaPortSettings): PortFactory {
  return (server) => new MetaPort(server, settings);
}

const STORE_MODE: Record<StoreMode, string> = { set: 'MS', add: 'ME', replace: 'MR' };

/** The port over the meta protocol (docs/meta-protocol.md lists what each method sends). */
export class MetaPort implements MemcachedPort, LeasePort {
  // One connection at a time, opened on demand (a fresh port's first request opens its socket).
  readonly #slot: ConnectionSlot<MetaConnection>;
  // A plain read that won a stale item's refresh gives it back before it answers (metaBatches.ts).
  readonly #giveBack: GiveBack = (keys, done) => void this.#send(giveBackBatch(keys)).then(done, done);

  constructor(address: ServerAddress, settings: MetaPortSettings) {
    const limits = { maxValueBytes: settings.maxValueBytes ?? DEFAULTS.maxValueBytes, maxLineBytes: MAX_LINE_BYTES };
    const server = formatServer(address);
    this.#slot = new ConnectionSlot(
      (onData) =>
        new MetaConnection({
          open: (listener) => openSocket(address, settings, listener),
          server,
          username: address.username,
          password: address.password,
          onData,
          limits,
        }),
    );
  }

  get received(): number {
    return this.#slot.received;
  }

  get(key: string): Promise<Item | undefined> {
    return promised((outcome) => this.getInto(key, outcome));
  }

  getInto(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void {
    const request = new OneAnswer(key, readItem, outcome, this.#giveBack);
    const writer = this.#expect(request);
    if (writer !== undefined) writeGet(writer, key, request.id, kept);
  }

  setInto(item: WireItem, outcome: Outcome<void>, kept?: KeyBytes): void {
    const request = new OneAnswer(item.key, readStored, outcome);
    const writer = this.#expect(request);
    if (writer !== undefined) writeSet(writer, item, request.id, kept);
  }

  gets(key: string): Promise<CasItem | undefined> {
    const { read, giveBack } = getsAnswer(this.#giveBack);
    return this.#one(key, `mg ${key} v f c`, read, undefined, giveBack);
  }

  gat(key: string, expiration: number): Promise<Item | undefined> {
    return this.#one(key, `mg ${key} v f T${expiration}`, readItem, undefined, this.#giveBack);
  }

  touch(key: string, expiration: number): Promise<boolean> {
    return this.#one(key, `mg ${key} T${expiration}`, readTouched, undefined, this.#giveBack);
  }

  getMulti(keys: readonly string[]): Promise<Map<string, Item>> {
    if (keys.length === 0) return Promise.resolve(new Map());
    return this.#send(getMultiBatch(keys, this.#giveBack));
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    return promised((outcome) => this.setInto({ key, value, flags, expiration }, outcome));
  }

  store(mode: StoreMode, item: WireItem): Promise<StoreStatus> {
    const refused: StoreStatus = mode === 'add' ? 'exists' : mode === 'replace' ? 'not_found' : 'not_stored';
    const flags = `F${item.flags} T${item.expiration} ${STORE_MODE[mode]}`;
    return this.#store(item.key, item.value, flags, (response) => storeStatus(response, refused));
  }

  cas(item: WireItem, cas: bigint): Promise<StoreStatus> {
    const flags = `F${item.flags} T${item.expiration} C${cas}`;
    return this.#store(item.key, item.value, flags, (response) => storeStatus(response, 'not_stored'));
  }

  concat(mode: 'append' | 'prepend', key: string, value: Buffer): Promise<StoreStatus> {
    return this.#store(key, value, mode === 'append' ? 'MA' : 'MP', (response) => storeStatus(response, 'not_stored'));
  }

  delete(key: string): Promise<boolean> {
    return this.#one(key, `md ${key}`, (response) => readFound(response, 'md', NF));
  }

  counter(
    ...[mode, key, delta, initial, expiration]: Parameters<MemcachedPort['counter']>
  ): Promise<bigint | undefined> {
    const create = initial === undefined ? '' : ` N${expiration} J${initial}`;
    const request = `ma ${key} ${mode === 'incr' ? 'MI' : 'MD'} D${delta} v${create}`;
    return this.#one(key, request, readCounter);
  }

  setMulti(items: readonly WireItem[]): Promise<string[]> {
    if (items.length === 0) return Promise.resolve([]);
    return this.#send(setMultiBatch(items));
  }

  deleteMulti(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return this.#send(deleteMultiBatch(keys));
  }

  flush(): Promise<void> {
    return this.#send(classic('flush_all\r\n', readOk));
  }

  stats(): Promise<Map<string, string>> {
    return this.#send({ bytes: () => 'stats\r\n', request: statsReader });
  }

  version(): Promise<string> {
    return this.#send(classic('version\r\n', readVersion));
  }

  lease(key: string, vivifySeconds: number, recacheSeconds: number | undefined): Promise<Lease | undefined> {
    const one: OneRequest = (line, read, value) => this.#one(key, line, read, value);
    return leaseWithPlaceholder(one, key, vivifySeconds, recacheSeconds);
  }

  release(key: string, cas: bigint): Promise<void> {
    return this.#one(key, releaseRequest(key, cas), readRelease);
  }

  invalidate(key: string, staleSeconds: number): Promise<boolean> {
    return this.#one(key, invalidateRequest(key, staleSeconds), (response) => readFound(response, 'md', NF));
  }

  /** The probe's round trip: `version` (a fresh port's first request opens its socket). */
  ping(): Promise<void> {
    return this.version().then(() => undefined);
  }

  abandon(): void {
    this.#slot.abandon();
  }

  close(): void {
    this.#slot.close();
  }

  // A meta request of one answer: `line` (without its opaque and CRLF), then `value` for a store.
  #one<T>(
    key: string,
    line: string,
    read: (response: MetaResponse, key: string) => T,
    value?: Buffer,
    giveBack?: GiveBack,
  ): Promise<T> {
    const outcome = new PromiseOutcome<T>();
    const answer = promiseFor(outcome);
    this.#submit(new OneAnswer(key, read, outcome, giveBack), (id) => `${line} O${id}\r\n`, value);
    return answer;
  }

  // An `ms`: its header, then the value (the connection joins a tick's stores into one write).
  #store<T>(key: string, value: Buffer, flags: string, read: (response: MetaResponse) => T): Promise<T> {
    return this.#one(key, storeHeader(key, value, flags), read, value);
  }

  // A request of several answers: a batch, or stats.
  #send<T>({ bytes, request }: Batch<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.#submit(request(resolve, reject), bytes));
  }

  #submit(request: MetaRequest, bytes: (id: number) => string | Buffer, value?: Buffer): void {
    this.#slot.current((err) => request.fail(err))?.send(request, bytes, value);
  }

  // #submit for a request the caller then writes in place.
  #expect(request: MetaRequest): TickWriter | undefined {
    return this.#slot.current((err) => request.fail(err))?.expect(request);
  }
}
