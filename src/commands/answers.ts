import type { CounterResult, NotOk, StoreResult } from '../api/results';
import { CounterRangeError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { StoreStatus } from '../port/MemcachedPort';

export const passNotOk = (notOk: NotOk): NotOk => notOk;
export const answeredTrue = (): boolean => true;
export const answeredFalse = (): boolean => false;
export const answeredNothing = (): undefined => undefined;

/**
 * `set`'s not-ok answer, `false`, made once per client. `false` also means "down", so when memcached
 * refused the value (too large, out of memory) the refusal goes to the logger: the key and
 * memcached's reason, never the value.
 */
export function refusedSet(logger: Logger): (notOk: NotOk, item: { readonly userKey: string }) => false {
  return (notOk, item) => {
    if (notOk.reason === 'server') {
      logger.warn(
        `reconnecting-memcached: set of key ${JSON.stringify(item.userKey)} answers false: ${refusalOf(notOk)}`,
      );
    }
    return false;
  };
}

/** Why memcached refused a request (a `reason: 'server'` answer), for a warning: never the value. */
export const refusalOf = (notOk: NotOk): string => notOk.error?.message ?? 'memcached refused the request';

const STORE_RESULTS: Readonly<Record<StoreStatus, StoreResult>> = {
  stored: Object.freeze({ ok: true, stored: true }),
  exists: Object.freeze({ ok: true, stored: false, status: 'exists' }),
  not_found: Object.freeze({ ok: true, stored: false, status: 'not_found' }),
  not_stored: Object.freeze({ ok: true, stored: false, status: 'not_stored' }),
};
export const toStoreResult = (status: StoreStatus): StoreResult => STORE_RESULTS[status];

const ABSENT: CounterResult<never> = Object.freeze({ ok: true, value: undefined });
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** A counter's value as a number; above 2^53 - 1 a number would be wrong, so it rejects instead. */
export const toNumberCounter = (value: bigint | undefined): CounterResult<number> => {
  if (value === undefined) return ABSENT;
  if (value > MAX_SAFE) throw new CounterRangeError(value);
  return { ok: true, value: Number(value) };
};
export const toBigCounter = (value: bigint | undefined): CounterResult<bigint> =>
  value === undefined ? ABSENT : { ok: true, value };
