import type { Item } from '../api/Item';
import type { KeyBytes } from '../core/KeyBytes';
import { promiseFor } from '../core/promiseFor';
import type { CasItem, CounterMode, MemcachedPort, StoreMode, StoreStatus, WireItem } from '../port/MemcachedPort';
import { type Outcome, PromiseOutcome, promised } from '../port/Outcome';
import { IN_PLACE_BODY_BYTES, type TickWriter } from '../transport/TickWriter';
import { deleteMultiReader, getMultiReader, setMultiReader, statsReader } from './batchReaders';
import {
  COUNTER_NO_CREATE,
  OP_ADD,
  OP_APPEND,
  OP_DECREMENT,
  OP_DELETE,
  OP_DELETEQ,
  OP_FLUSH,
  OP_GAT,
  OP_GET,
  OP_GETKQ,
  OP_INCREMENT,
  OP_NOOP,
  OP_PREPEND,
  OP_REPLACE,
  OP_SET,
  OP_SETQ,
  OP_STAT,
  OP_TOUCH,
  OP_VERSION,
} from './binaryProtocol';
import {
  concatRequest,
  counterRequest,
  emptyRequest,
  expirationRequest,
  keyRequest,
  storeRequest,
  writeKeyRequest,
  writeStoreRequest,
} from './binaryRequest';
import { multiKeyRequest, multiStoreRequest } from './pipelinedRequest';
import {
  type ResponseReader,
  readCas,
  readConcat,
  readCounter,
  readDelete,
  readFlush,
  readGat,
  readGet,
  readGets,
  readPing,
  readSet,
  readStore,
  readTouch,
  readVersion,
} from './responseReaders';

/** What `BinaryCommands.expect` takes: `send`'s arguments but the request. */
export type Expect = <T>(
  opaque: number,
  read: ResponseReader<T>,
  key: string,
  outcome: Outcome<T>,
  also?: readonly number[],
) => void;

const STORE_OPCODES: Readonly<Record<StoreMode, number>> = { set: OP_SET, add: OP_ADD, replace: OP_REPLACE };
const NO_STRINGS: string[] = [];

/**
 * Every command of the port in memcached's binary protocol: which request, and what its responses
 * mean. How a request reaches the server and its responses come back (memjs's socket here) is the
 * subclass's.
 */
export abstract class BinaryCommands implements Omit<MemcachedPort, 'close' | 'received'> {
  /** A request id (the header's opaque) that no request in flight on this connection has. */
  protected abstract nextOpaque(): number;
  /**
   * Writes `request` and delivers to `outcome` what `read` makes of the responses whose opaque is
   * `opaque` (or one of `also`: parts of a pipelined request with their own), once it has its
   * answer. `key`: what `read` is handed with each response. Parameters one by one, not a rest
   * tuple: that would be an array made and taken apart per call.
   */
  protected send<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    outcome: Outcome<T>,
    also?: readonly number[],
  ): void {
    this.expect(opaque, read, key, outcome, also);
    this.write(request);
  }
  /** `send` without the request: the caller writes it, built in place, right after (get, set). */
  protected abstract expect: Expect;
  /** Writes a request whole (the subclass's socket). */
  protected abstract write(request: Buffer): void;
  /** Where a request can be built in place: undefined while the connection is not ready for one. */
  protected abstract writer(): TickWriter | undefined;

  /** `send`, its outcome as a promise. */
  protected exchange<T>(
    request: Buffer,
    opaque: number,
    read: ResponseReader<T>,
    key: string,
    also?: readonly number[],
  ): Promise<T> {
    const outcome = new PromiseOutcome<T>();
    const answer = promiseFor(outcome);
    this.send(request, opaque, read, key, outcome, also);
    return answer;
  }

  getInto(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void {
    const opaque = this.nextOpaque();
    const writer = this.writer();
    if (writer === undefined) {
      this.send(keyRequest(OP_GET, key, opaque), opaque, readGet, key, outcome);
      return;
    }
    this.expect(opaque, readGet, key, outcome);
    writeKeyRequest(writer, OP_GET, key, opaque, kept);
  }

  setInto(item: WireItem, outcome: Outcome<void>, kept?: KeyBytes): void {
    const opaque = this.nextOpaque();
    const writer = this.writer();
    if (writer === undefined || item.value.length > IN_PLACE_BODY_BYTES) {
      const { key, value, flags, expiration } = item;
      this.send(storeRequest(OP_SET, key, value, flags, expiration, opaque), opaque, readSet, key, outcome);
      return;
    }
    this.expect(opaque, readSet, item.key, outcome);
    writeStoreRequest(writer, OP_SET, item, opaque, kept);
  }

  get(key: string): Promise<Item | undefined> {
    return promised((outcome) => this.getInto(key, outcome));
  }

  gets(key: string): Promise<CasItem | undefined> {
    const opaque = this.nextOpaque();
    return this.exchange(keyRequest(OP_GET, key, opaque), opaque, readGets, key);
  }

  gat(key: string, expiration: number): Promise<Item | undefined> {
    const opaque = this.nextOpaque();
    const request = expirationRequest(OP_GAT, key, expiration, opaque);
    return this.exchange(request, opaque, readGat, key);
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    return promised((outcome) => this.setInto({ key, value, flags, expiration }, outcome));
  }

  store(mode: StoreMode, item: WireItem): Promise<StoreStatus> {
    const opaque = this.nextOpaque();
    const request = storeRequest(STORE_OPCODES[mode], item.key, item.value, item.flags, item.expiration, opaque);
    return this.exchange(request, opaque, readStore[mode], item.key);
  }

  cas(item: WireItem, cas: bigint): Promise<StoreStatus> {
    const opaque = this.nextOpaque();
    const request = storeRequest(OP_SET, item.key, item.value, item.flags, item.expiration, opaque, cas);
    return this.exchange(request, opaque, readCas, item.key);
  }

  concat(mode: 'append' | 'prepend', key: string, value: Buffer): Promise<StoreStatus> {
    const opaque = this.nextOpaque();
    const request = concatRequest(mode === 'append' ? OP_APPEND : OP_PREPEND, key, value, opaque);
    return this.exchange(request, opaque, readConcat[mode], key);
  }

  delete(key: string): Promise<boolean> {
    const opaque = this.nextOpaque();
    return this.exchange(keyRequest(OP_DELETE, key, opaque), opaque, readDelete, key);
  }

  counter(
    mode: CounterMode,
    key: string,
    delta: bigint,
    initial?: bigint,
    expiration = 0,
  ): Promise<bigint | undefined> {
    const opaque = this.nextOpaque();
    const opcode = mode === 'incr' ? OP_INCREMENT : OP_DECREMENT;
    const request =
      initial === undefined
        ? counterRequest(opcode, key, delta, 0n, COUNTER_NO_CREATE, opaque)
        : counterRequest(opcode, key, delta, initial, expiration, opaque);
    return this.exchange(request, opaque, readCounter[mode], key);
  }

  touch(key: string, expiration: number): Promise<boolean> {
    const opaque = this.nextOpaque();
    const request = expirationRequest(OP_TOUCH, key, expiration, opaque);
    return this.exchange(request, opaque, readTouch, key);
  }

  // A real multi-get: one GETKQ per key (quiet: only hits answer) and one NOOP, written in one go,
  // all with the same opaque, so one quiet handler collects the hits until the NOOP's empty reply.
  getMulti(keys: readonly string[]): Promise<Map<string, Item>> {
    if (keys.length === 0) return Promise.resolve(new Map());
    const opaque = this.nextOpaque();
    return this.exchange(multiKeyRequest(OP_GETKQ, OP_NOOP, keys, opaque), opaque, getMultiReader(keys), '');
  }

  // One SETQ per item, each with its own opaque (a refusal carries no key), and one NOOP.
  setMulti(items: readonly WireItem[]): Promise<string[]> {
    if (items.length === 0) return Promise.resolve(NO_STRINGS.slice());
    const opaques = new Array<number>(items.length);
    for (let i = 0; i < items.length; i++) opaques[i] = this.nextOpaque();
    const end = this.nextOpaque();
    const read = setMultiReader(items, opaques, end);
    return this.exchange(multiStoreRequest(OP_SETQ, OP_NOOP, items, opaques, end), end, read, '', opaques);
  }

  deleteMulti(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    const opaque = this.nextOpaque();
    return this.exchange(multiKeyRequest(OP_DELETEQ, OP_NOOP, keys, opaque), opaque, deleteMultiReader(), '');
  }

  flush(): Promise<void> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_FLUSH, opaque), opaque, readFlush, '');
  }

  // One response per statistic (key: name, value: value), then one with neither.
  stats(): Promise<Map<string, string>> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_STAT, opaque), opaque, statsReader(), '');
  }

  version(): Promise<string> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_VERSION, opaque), opaque, readVersion, '');
  }

  ping(): Promise<void> {
    const opaque = this.nextOpaque();
    return this.exchange(emptyRequest(OP_VERSION, opaque), opaque, readPing, '');
  }
}
