import type { Item } from '../api/Item';
import { type BeforeDelivery, isError, OneAnswer, refusal } from '../connection/lineRequests';
import { NO_ID } from '../connection/WireRequest';
import { ConnectionError } from '../core/errors';
import { PLACEHOLDER_FLAGS } from '../port/LeasePort';
import type { CasItem, StoreStatus } from '../port/MemcachedPort';
import type { TickWriter } from '../transport/TickWriter';
import type { MetaRequest } from './MetaConnection';
import { code, type MetaResponse } from './MetaResponse';

export { isError, refusal };

export const VA = code('VA');
export const HD = code('HD');
export const EN = code('EN');
export const NF = code('NF');
export const NS = code('NS');
export const EX = code('EX');
export const MN = code('MN');
export const F = 0x66; // f: client flags
export const C = 0x63; // c: CAS
export const T = 0x74; // t: seconds left
export const W = 0x57; // W: this client won the right to recache
export const X = 0x58; // X: the item is stale
export const Z = 0x5a; // Z: another client already won

/** The largest client flags value: memcached's are 32 bits. */
const MAX_FLAGS = 0xffffffff;

/** The client flags of a line (`f`), 0 when absent; beyond 32 bits the line is not memcached's. */
export function readFlags(response: MetaResponse): number {
  const flags = response.flag(F) ?? 0;
  if (flags < 0 || flags > MAX_FLAGS) throw response.malformed('client flags beyond 32 bits');
  return flags;
}

/**
 * Gives back the refresh (W) of stale items that memcached handed to a read that cannot refresh them
 * (a plain `mg`: memcached hands it to the first read of a stale item), then calls `done`.
 */
export type GiveBack = (keys: readonly string[], done: () => void) => void;

/**
 * For a plain read (`OneAnswer`'s `before`): an answer that won a stale item's refresh is delivered
 * once `giveBack` gave the win back.
 */
export function giveBackFirst(giveBack: GiveBack): BeforeDelivery<MetaResponse> {
  return (response, key, outcome, value) => {
    if (!response.has(W)) return false;
    giveBack([key], () => outcome.succeeded(value));
    return true;
  };
}

/** A classic command (no opaque) of one answer line: paired by order, checked by its form. */
export function classic<T>(bytes: string, read: (response: MetaResponse) => T) {
  return {
    write: (writer: TickWriter) => writer.write(bytes),
    request: (resolve: (value: T) => void, reject: (err: unknown) => void): MetaRequest =>
      new OneAnswer('', read, { succeeded: resolve, failed: reject }, 0),
  };
}

/**
 * Whether a `VA` answer is the empty placeholder a fetch's lease made (docs/meta-protocol.md): an
 * empty value with `PLACEHOLDER_FLAGS`, or one that someone refreshes (`Z`, or `W` once an
 * invalidate freed it). It was never stored: plain reads answer it as a miss, as fetch does.
 */
export function isPlaceholder(response: MetaResponse): boolean {
  return (
    response.value!.length === 0 && (response.has(Z) || response.has(W) || readFlags(response) === PLACEHOLDER_FLAGS)
  );
}

/** An `mg ... v f` answer: the item, or undefined for a miss (or another client's placeholder). */
export function readItem(response: MetaResponse, key: string): Item | undefined {
  const status = response.code;
  if (status === VA)
    return isPlaceholder(response) ? undefined : { key, value: response.value!, flags: readFlags(response) };
  if (status === EN) return undefined;
  throw refusal('mg', response);
}

/** An `mg ... v f c` answer: the item and its CAS, or undefined for a miss. */
export function readCasItem(response: MetaResponse, key: string): CasItem | undefined {
  const item = readItem(response, key);
  return item && { ...item, cas: response.bigFlag(C) ?? 0n };
}

/** An `ma ... v` answer: the counter's new value, or undefined when the key is absent. */
export function readCounter(response: MetaResponse): bigint | undefined {
  const status = response.code;
  if (status === NF) return undefined;
  if (status !== VA) throw refusal('ma', response);
  const digits = response.value!.toString('latin1');
  if (!/^\d{1,20}$/.test(digits)) throw response.malformed('a counter value that is not a number');
  return BigInt(digits);
}

/** An answer that is HD (true) or `no` (false), e.g. md: HD deleted, NF not found. */
export function readFound(response: MetaResponse, command: string, no: number): boolean {
  const status = response.code;
  if (status === HD) return true;
  if (status === no) return false;
  throw refusal(command, response);
}

/**
 * A batch: one request per part, the part's id (`id + index`) as its opaque, then `mn`. The answers
 * that arrive (a quiet batch's are only those quiet mode does not suppress) name their part, in
 * order; `mn`'s MN ends the batch.
 */
export class QuietBatch<T> implements MetaRequest {
  id = NO_ID;
  constructor(
    /** How many parts (ids) the batch has. */
    readonly span: number,
    readonly result: T,
    /** One answer of the batch; `index` is its part (undefined for an error line, which has none). */
    readonly read: (response: MetaResponse, index: number | undefined, result: T) => void,
    readonly resolve: (value: T) => void,
    readonly reject: (err: unknown) => void,
    /** Every part answers (no `q`): an MN before all of them is out of step. */
    readonly loud = false,
  ) {}

  #failed: unknown;
  #answers = 0;
  // The part of the last answer that named one: answers come in the order of their requests.
  #last = -1;

  handle(response: MetaResponse): boolean {
    if (response.code === MN) {
      if (this.loud && this.#answers !== this.span) throw response.malformed('the end of a batch before its answers');
      if (this.#failed === undefined) this.resolve(this.result);
      else this.reject(this.#failed);
      return true;
    }
    this.#answers++;
    let index: number | undefined;
    if (response.id !== NO_ID) {
      index = response.id - this.id;
      if (index <= this.#last) throw response.malformed('an answer out of order in a batch');
      this.#last = index;
    }
    try {
      this.read(response, index, this.result);
    } catch (err) {
      if (err instanceof ConnectionError) throw err;
      this.#failed ??= err;
    }
    return false;
  }

  fail(err: Error): void {
    this.reject(err);
  }
}

/** `ms <key> <size> <flags>`: a store's header line, without its opaque and CRLF (its value follows). */
export function storeHeader(key: string, value: Buffer, flags: string): string {
  return `ms ${key} ${value.length} ${flags}`;
}

// memcached's meta answers to a store, as the binary protocol names them: an `add` is refused only
// because the key exists, a `replace` only because it does not (binary: EEXISTS, ENOENT).
export function storeStatus(response: MetaResponse, refused: StoreStatus): StoreStatus {
  const status = response.code;
  if (status === HD) return 'stored';
  if (status === NS) return refused;
  if (status === EX) return 'exists';
  if (status === NF) return 'not_found';
  throw refusal('ms', response);
}

/** `ms`: stored, or a refusal. */
export function readStored(response: MetaResponse): void {
  if (response.code !== HD) throw refusal('ms', response);
}
