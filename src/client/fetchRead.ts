import type { GetResult, NotOk } from '../api/results';
import { passNotOk } from '../commands/answers';
import type { CommandKind } from '../core/channels';
import type { CallDeadline } from '../engine/CallDeadline';
import type { CallRunner } from '../engine/CallRunner';
import type { CallTarget } from '../engine/CallTarget';
import { isLeasePort, type Lease } from '../port/LeasePort';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { FetchPlan } from './fetchPlan';
import type { Values } from './Values';

/** The caller's key (it picks the server) and the key on the wire (with the prefix). */
export interface Keys {
  readonly key: string;
  readonly wire: string;
}

/** What a fetch's read found: the lease or item, and its value decoded (none for a placeholder or a miss). */
export interface Read<V> {
  readonly lease: Lease | undefined;
  readonly got: GetResult<V> | undefined;
}

type ReadAnswer<V> = { readonly ok: true; readonly value: Read<V> } | NotOk;

// What fetch's reads publish on the command TracingChannel.
const FETCH: CommandKind<unknown> = { name: 'fetch' };

/**
 * A fetch's read of `k` on `target`: its lease (meta) or item, and the value decoded as `get`
 * decodes it, within the read's deadline, so a value still decoding when it passes answers
 * `reason: 'decode'` then. A placeholder (an empty value that someone refreshes, stale too: an
 * invalidate during a fill marks it stale) is not a value, and is not decoded.
 */
export function fetchRead<V, In>(
  calls: CallRunner,
  target: CallTarget,
  values: Values<V, In>,
  k: Keys,
  plan: FetchPlan,
): Promise<ReadAnswer<V>> {
  const op = (port: MemcachedPort): Promise<Lease | undefined> =>
    isLeasePort(port) ? port.lease(k.wire, plan.leaseTtl, plan.recache) : port.get(k.wire).then(binaryLease);
  const decoded = (lease: Lease | undefined, call: CallDeadline): ReadAnswer<V> | Promise<ReadAnswer<V>> => {
    if (lease === undefined || (lease.value.length === 0 && (lease.win || lease.pending))) {
      return { ok: true, value: { lease, got: undefined } };
    }
    const got = values.getResult({ key: k.key, value: lease.value, flags: lease.flags }, call);
    if (!(got instanceof Promise)) return { ok: true, value: { lease, got } };
    return got.then((done): ReadAnswer<V> => ({ ok: true, value: { lease, got: done } }));
  };
  // The promise of a promise `decoded` may answer is the answer itself once settled.
  return calls.run(target, op, undefined, decoded, passNotOk, FETCH, 1) as Promise<ReadAnswer<V>>;
}

function binaryLease(item: { value: Buffer; flags: number } | undefined): Lease | undefined {
  return item && { value: item.value, flags: item.flags, cas: 0n, win: false, stale: false, pending: false };
}
