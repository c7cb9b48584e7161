import { isPlaceholderItem, type Lease, PLACEHOLDER_FLAGS } from '../port/LeasePort';
import type { CasItem } from '../port/MemcachedPort';
import type { MetaResponse } from './MetaResponse';
import {
  C,
  EN,
  EX,
  type GiveBack,
  HD,
  isPlaceholder,
  NF,
  NS,
  readCasItem,
  readFlags,
  refusal,
  storeHeader,
  VA,
  W,
  X,
  Z,
} from './metaRequests';

// The read-through commands of docs/meta-protocol.md ("fetch"), apart from MetaPort's contract.
// Each request is a line without its opaque and CRLF: the port adds them (MetaPort.#one).

/** A request of one answer on the meta port: `line` without its opaque and CRLF, `value` for a store. */
export type OneRequest = <T>(line: string, read: (response: MetaResponse) => T, value?: Buffer) => Promise<T>;

const EMPTY = Buffer.alloc(0);

/**
 * `fetch`'s read: `mg <key> v f c [R<recache>]`; on a miss (`EN`), `ms <key> 0 F<PLACEHOLDER_FLAGS>
 * T<vivify> ME c` adds the placeholder, and the caller whose add is stored has won it. Not
 * memcached's own `mg ... N<vivify>`: that placeholder has flags 0, which text and binary readers
 * cannot tell from a value stored empty. An add refused (another caller's placeholder came first)
 * reads again; a miss twice over is one nobody won.
 */
export async function leaseWithPlaceholder(
  one: OneRequest,
  key: string,
  vivifySeconds: number,
  recacheSeconds: number | undefined,
): Promise<Lease | undefined> {
  const read = recacheSeconds === undefined ? `mg ${key} v f c` : `mg ${key} v f c R${recacheSeconds}`;
  const add = storeHeader(key, EMPTY, `F${PLACEHOLDER_FLAGS} T${vivifySeconds} ME c`);
  for (let tries = 0; tries < 2; tries++) {
    const found = await one(read, readLease);
    if (found !== undefined) return found;
    const cas = await one(add, readAdded, EMPTY);
    if (cas !== undefined)
      return { value: EMPTY, flags: PLACEHOLDER_FLAGS, cas, win: true, stale: false, pending: false };
  }
  return undefined;
}

/** The lease, or undefined for a miss. An empty item that someone refreshes is a placeholder. */
export function readLease(response: MetaResponse): Lease | undefined {
  const status = response.code;
  if (status === EN) return undefined;
  if (status !== VA) throw refusal('mg', response);
  const value = response.value!;
  const flags = readFlags(response);
  const win = response.has(W);
  return {
    value,
    flags,
    cas: response.bigFlag(C) ?? 0n,
    win,
    stale: response.has(X),
    // Another caller's placeholder: memcached's (Z), or one added by a fetch (nobody won it since).
    pending: response.has(Z) || (!win && isPlaceholderItem(value, flags)),
  };
}

/** The CAS of the placeholder added (`HD c<cas>`), or undefined when another was there first (`NS`). */
function readAdded(response: MetaResponse): bigint | undefined {
  const status = response.code;
  if (status === NS) return undefined;
  if (status !== HD) throw refusal('ms', response);
  const cas = response.bigFlag(C);
  if (cas === undefined) throw response.malformed('a placeholder stored without the CAS asked for');
  return cas;
}

/** `md <key> C<cas>`: gone, already gone, or changed since: all fine for a winner letting go. */
export function releaseRequest(key: string, cas: bigint): string {
  return `md ${key} C${cas}`;
}

export function readRelease(response: MetaResponse): void {
  const status = response.code;
  if (status !== HD && status !== NF && status !== EX) throw refusal('md', response);
}

/** `md <key> I T<stale>`: keep the item, marked stale, for `staleSeconds` more. */
export function invalidateRequest(key: string, staleSeconds: number): string {
  return `md ${key} I T${staleSeconds}`;
}

/**
 * A `gets`' reader, and when it gives a refresh (W) back. It keeps one it wins on a value: giving it
 * back would change the CAS it answers, failing the `cas` that follows, and that store is what ends
 * the stale state. A placeholder's it gives back: the miss it answers has no CAS to keep, and the
 * next fetch must load at once.
 */
export function getsAnswer(giveBack: GiveBack) {
  let placeholder = false;
  const read = (response: MetaResponse, key: string): CasItem | undefined => {
    placeholder = response.code === VA && isPlaceholder(response);
    return readCasItem(response, key);
  };
  const given: GiveBack = (keys, done) => (placeholder ? giveBack(keys, done) : done());
  return { read, giveBack: given };
}
