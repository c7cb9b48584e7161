import type { Item } from '../api/Item';
import { DEFAULTS } from '../config/options';
import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import { ConnectionSlot } from '../connection/ConnectionSlot';
import { OneAnswer, readVersion } from '../connection/lineRequests';
import type { KeyBytes } from '../core/KeyBytes';
import { promiseFor } from '../core/promiseFor';
import type { Lease, LeasePort } from '../port/LeasePort';
import type { MemcachedPort, PortFactory, WireItem } from '../port/MemcachedPort';
import { type Outcome, PromiseOutcome, promised } from '../port/Outcome';
import type { PortCommand } from '../port/PortCommand';
import { openSocket, type TransportSettings } from '../transport/openSocket';
import type { TickWriter } from '../transport/TickWriter';
import { writeGet, writeSet } from './inPlaceRequests';
import { MetaConnection, type MetaRequest } from './MetaConnection';
import { MAX_LINE_BYTES } from './MetaReader';
import type { MetaResponse } from './MetaResponse';
import type { MetaWire } from './MetaWire';
import { type Batch, giveBackBatch } from './metaBatches';
import { invalidateRequest, leaseWithPlaceholder, type OneRequest, readRelease, releaseRequest } from './metaLeases';
import { classic, type GiveBack, giveBackFirst, NF, readFound, readItem, readStored } from './metaRequests';

/** What the meta port reads of the resolved options: how sockets open (TransportSettings), `maxValueBytes`. */
export interface MetaPortSettings extends TransportSettings {
  readonly maxValueBytes?: number;
}

/** A factory of ports speaking memcached's meta protocol: one socket per port, pipelined. */
export function metaPortFactory(settings: MetaPortSettings): PortFactory {
  return (server) => new MetaPort(server, settings);
}

// The probe's request.
const VERSION = classic('version\r\n', readVersion);

/** The port over the meta protocol (docs/meta-protocol.md lists what each method sends). */
export class MetaPort implements MemcachedPort, LeasePort {
  // One connection at a time, opened on demand (a fresh port's first request opens its socket).
  readonly #slot: ConnectionSlot<MetaConnection>;
  // A plain read that won a stale item's refresh gives it back before it answers (metaBatches.ts).
  readonly #giveBack: GiveBack = (keys, done) => void this.#send(giveBackBatch(keys)).then(done, done);
  readonly #giveBackFirst = giveBackFirst(this.#giveBack);
  // What the commands' meta parts are handed (src/commands/), made once.
  readonly #wire: MetaWire = {
    one: (key, line, read, value, giveBack) => this.#one(key, line, read, value, giveBack),
    giveBack: this.#giveBack,
    send: (batch) => this.#send(batch),
  };

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

  command<A, T>(command: PortCommand<A, T>, args: A): Promise<T> {
    return command.meta(this.#wire, args);
  }

  get(key: string): Promise<Item | undefined> {
    return promised((outcome) => this.getInto(key, outcome));
  }

  getInto(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void {
    const request = new OneAnswer(key, readItem, outcome, 1, this.#giveBackFirst);
    const writer = this.#expect(request);
    if (writer !== undefined) writeGet(writer, key, request.id, kept);
  }

  setInto(item: WireItem, outcome: Outcome<void>, kept?: KeyBytes): void {
    const request = new OneAnswer(item.key, readStored, outcome);
    const writer = this.#expect(request);
    if (writer !== undefined) writeSet(writer, item, request.id, kept);
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    return promised((outcome) => this.setInto({ key, value, flags, expiration }, outcome));
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
    return this.#send(VERSION).then(() => undefined);
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
    const before = giveBack === undefined ? undefined : giveBackFirst(giveBack);
    this.#submit(new OneAnswer(key, read, outcome, 1, before), (id) => `${line} O${id}\r\n`, value);
    return answer;
  }

  // A request of several answers: a batch, or stats.
  #send<T>(batch: Batch<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const request = batch.request(resolve, reject);
      const writer = this.#expect(request);
      if (writer !== undefined) batch.write(writer, request.id);
    });
  }

  #submit(request: MetaRequest, bytes: (id: number) => string | Buffer, value?: Buffer): void {
    this.#slot.current((err) => request.fail(err))?.send(request, bytes, value);
  }

  // #submit for a request the caller then writes in place.
  #expect(request: MetaRequest): TickWriter | undefined {
    return this.#slot.current((err) => request.fail(err))?.expect(request);
  }
}
