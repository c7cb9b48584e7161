import { expectTypeOf, it } from 'vitest';
import type { CallOptions, CasToken, Client, CounterResult, GetsResult, StoreResult } from '../../src';

// The commands' answers as the compiler sees them (checked by `npm run typecheck`): unions that
// narrow on `ok` (and `stored`), a counter's value typed by its delta, and a CAS token that no
// plain bigint passes for. Never called: only its types are the test.
function commandTypes(cache: Client, store: StoreResult, read: GetsResult): void {
  expectTypeOf(cache.add({ key: 'k', value: 'v' })).resolves.toEqualTypeOf<StoreResult>();
  if (store.ok && !store.stored) expectTypeOf(store.status).toEqualTypeOf<'exists' | 'not_found' | 'not_stored'>();
  if (!store.ok) expectTypeOf(store.reason).toBeString();

  expectTypeOf(cache.incr('n')).resolves.toEqualTypeOf<CounterResult<number>>();
  expectTypeOf(cache.incr('n', 2)).resolves.toEqualTypeOf<CounterResult<number>>();
  expectTypeOf(cache.decr('n', 2n, { initial: 5n })).resolves.toEqualTypeOf<CounterResult<bigint>>();

  expectTypeOf(cache.gets('k')).resolves.toEqualTypeOf<GetsResult>();
  if (read.ok && read.item) {
    expectTypeOf(read.item.cas).toEqualTypeOf<CasToken>();
    expectTypeOf(cache.cas({ key: 'k', value: 'v', cas: read.item.cas })).resolves.toEqualTypeOf<StoreResult>();
  }
  // @ts-expect-error: a bigint is not a CasToken
  void cache.cas({ key: 'k', value: 'v', cas: 1n });

  expectTypeOf(cache.touch).parameter(2).toEqualTypeOf<CallOptions | undefined>();
  expectTypeOf(cache.setMulti).parameter(1).toEqualTypeOf<CallOptions | undefined>();
  expectTypeOf(cache.stats).returns.resolves.toEqualTypeOf<Map<string, Map<string, string>>>();

  // A field or an option a command does not have is a compile error too (and refused at run time).
  // @ts-expect-error: an item's expiration is `expiration`, not `ttl`
  void cache.set({ key: 'k', value: 'v', ttl: 1 });
  // @ts-expect-error: the per-call deadline is `timeoutMs`
  void cache.get('k', { timeout: 1 });
  // @ts-expect-error: a counter's options have no `ttl`
  void cache.incr('n', 1, { initial: 0, ttl: 5 });
}

it('the command answer types hold (checked by the compiler)', () => {
  expectTypeOf(commandTypes).toBeFunction();
});
