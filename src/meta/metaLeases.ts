import type { Lease } from '../port/LeasePort';
import type { MetaResponse } from './MetaResponse';
import { C, EN, EX, HD, NF, readFlags, refusal, VA, W, X, Z } from './metaRequests';

// The read-through commands of docs/meta-protocol.md ("fetch"), apart from MetaPort's contract.
// Each request is a line without its opaque and CRLF: the port adds them (MetaPort.#one).

/** `mg <key> v f c N<vivify> [R<recache>]`: the item or a placeholder, with W / X / Z. */
export function leaseRequest(key: string, vivifySeconds: number, recacheSeconds: number | undefined): string {
  return recacheSeconds === undefined
    ? `mg ${key} v f c N${vivifySeconds}`
    : `mg ${key} v f c N${vivifySeconds} R${recacheSeconds}`;
}

/** The lease, or undefined for a miss that left no placeholder (nobody won: the caller loads). */
export function readLease(response: MetaResponse): Lease | undefined {
  const status = response.code;
  // EN only if the placeholder could not be made (memcached out of memory): a miss nobody won.
  // Not an empty item: with the raw codec, fetch answered it as a hit of zero bytes.
  if (status === EN) return undefined;
  if (status !== VA) throw refusal('mg', response);
  return {
    value: response.value!,
    flags: readFlags(response),
    cas: response.bigFlag(C) ?? 0n,
    win: response.has(W),
    stale: response.has(X),
    pending: response.has(Z),
  };
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
