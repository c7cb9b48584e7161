import type { Item } from '../api/Item';
import { ServerError } from '../core/errors';
import type { CasItem, StoreStatus } from '../port/MemcachedPort';
import type { Outcome } from '../port/Outcome';
import type { MetaRequest } from './MetaConnection';
import { code, type MetaResponse } from './MetaReader';

export const VA = code('VA');
export const HD = code('HD');
export const EN = code('EN');
export const NF = code('NF');
export const NS = code('NS');
export const EX = code('EX');
export const MN = code('MN');
const ER = code('ER'); // ERROR
const CL = code('CL'); // CLIENT_ERROR
const SE = code('SE'); // SERVER_ERROR

export const F = 0x66; // f: client flags
export const C = 0x63; // c: CAS
export const O = 0x4f; // O: opaque
export const T = 0x74; // t: seconds left
export const W = 0x57; // W: this client won the right to recache
export const X = 0x58; // X: the item is stale
export const Z = 0x5a; // Z: another client already won

/** Whether the line is one of memcached's error lines (ERROR, CLIENT_ERROR, SERVER_ERROR). */
export function isError(response: MetaResponse): boolean {
  const status = response.code;
  return status === ER || status === CL || status === SE;
}

/** The error for an answer a command does not expect: memcached refused it. */
export function refusal(command: string, response: MetaResponse): ServerError {
  return new ServerError(new Error(`${command}: ${response.line}`));
}

/**
 * Gives back the refresh (W) of stale items that memcached handed to a read that cannot refresh them
 * (a plain `mg`: memcached hands it to the first read of a stale item), then calls `done`.
 */
export type GiveBack = (keys: readonly string[], done: () => void) => void;

/**
 * A request with one answer line, read by `read` (which throws a `ServerError` for a refusal). With
 * `giveBack` (a plain read), an answer that won the refresh is delivered once the win is given back.
 */
export class OneAnswer<T> implements MetaRequest {
  constructor(
    readonly key: string,
    readonly read: (response: MetaResponse, key: string) => T,
    readonly outcome: Outcome<T>,
    readonly giveBack?: GiveBack,
  ) {}

  handle(response: MetaResponse): boolean {
    let value: T;
    try {
      value = this.read(response, this.key);
    } catch (err) {
      this.outcome.failed(err);
      return true;
    }
    if (this.giveBack !== undefined && response.has(W)) {
      this.giveBack([this.key], () => this.outcome.succeeded(value));
    } else {
      this.outcome.succeeded(value);
    }
    return true;
  }

  fail(err: Error): void {
    this.outcome.failed(err);
  }
}

/** An `mg ... v f` answer: the item, or undefined for a miss. */
export function readItem(response: MetaResponse, key: string): Item | undefined {
  const status = response.code;
  if (status === VA) return { key, value: response.value!, flags: response.flag(F) ?? 0 };
  if (status === EN) return undefined;
  throw refusal('mg', response);
}

/** An `mg ... v f c` answer: the item and its CAS, or undefined for a miss. */
export function readCasItem(response: MetaResponse, key: string): CasItem | undefined {
  const item = readItem(response, key);
  return item && { ...item, cas: response.bigFlag(C) ?? 0n };
}

/** An `mg <key> T<exp>` answer (touch): HD found, EN not found. */
export const readTouched = (response: MetaResponse): boolean => readFound(response, 'mg', EN);

/** An answer that is HD (true) or `no` (false), e.g. md: HD deleted, NF not found. */
export function readFound(response: MetaResponse, command: string, no: number): boolean {
  const status = response.code;
  if (status === HD) return true;
  if (status === no) return false;
  throw refusal(command, response);
}

/**
 * A quiet batch: one request per key with `q` and `O<index>`, then `mn`. Only the answers that quiet
 * mode does not suppress arrive, each naming its index; `mn`'s MN ends the batch.
 */
export class QuietBatch<T> implements MetaRequest {
  constructor(
    readonly result: T,
    /** One answer of the batch; `index` is its opaque (undefined for an error line, which has none). */
    readonly read: (response: MetaResponse, index: number | undefined, result: T) => void,
    readonly resolve: (value: T) => void,
    readonly reject: (err: unknown) => void,
  ) {}

  #failed: unknown;

  handle(response: MetaResponse): boolean {
    if (response.code === MN) {
      if (this.#failed === undefined) this.resolve(this.result);
      else this.reject(this.#failed);
      return true;
    }
    try {
      this.read(response, response.flag(O), this.result);
    } catch (err) {
      this.#failed ??= err;
    }
    return false;
  }

  fail(err: Error): void {
    this.reject(err);
  }
}

/** Several answer lines up to an end line (stats: STAT lines, then END). */
export class Lines implements MetaRequest {
  readonly #lines: string[] = [];
  constructor(
    readonly end: number,
    readonly resolve: (lines: string[]) => void,
    readonly reject: (err: unknown) => void,
  ) {}

  handle(response: MetaResponse): boolean {
    if (isError(response)) {
      this.reject(refusal('stats', response));
      return true;
    }
    const line = response.line;
    if (response.code === this.end && !line.startsWith('STAT')) {
      this.resolve(this.#lines);
      return true;
    }
    this.#lines.push(line);
    return false;
  }

  fail(err: Error): void {
    this.reject(err);
  }
}

/** `ms <key> <size> <flags>\r\n`: a store's header (its value and CRLF follow). */
export function storeHeader(key: string, value: Buffer, flags: string): string {
  return `ms ${key} ${value.length} ${flags}\r\n`;
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

/** `stats`: its `STAT <name> <value>` lines until `END`, as a map. */
export function statsReader(resolve: (stats: Map<string, string>) => void, reject: (err: unknown) => void): Lines {
  return new Lines(
    EN,
    (lines) => {
      const stats = new Map<string, string>();
      for (const line of lines) {
        const [, name, ...value] = line.split(' ');
        if (name !== undefined) stats.set(name, value.join(' '));
      }
      resolve(stats);
    },
    reject,
  );
}
