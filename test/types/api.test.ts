// Type tests of the public API: checked by `npm run typecheck` (tsc over test/), run by vitest as
// no-ops. Each @ts-expect-error line fails the typecheck if the API starts to accept it.
import { describe, expectTypeOf, it } from 'vitest';
import type { ActorRefFrom } from 'xstate';
import type {
  Client,
  ClientOptions,
  ConnectionMachine,
  ConnectionState,
  ErrorCode,
  GetMultiResult,
  GetResult,
  Item,
  NotOk,
  NotOkReason,
  ReconnectingMemcachedError,
  StateChange,
} from '../../src/index';
import { isReconnectingMemcachedError } from '../../src/index';

// The bodies are only type-checked, never run: they need no memcached.
function typeCheck(_body: (cache: Client) => unknown): void {}

describe('answers narrow on ok', () => {
  it('get: an item or undefined when ok, a reason when not', () =>
    typeCheck(async (cache) => {
      const result = await cache.get('k');
      expectTypeOf(result).toEqualTypeOf<GetResult>();
      if (result.ok) {
        expectTypeOf(result.item).toEqualTypeOf<Item | undefined>();
        // @ts-expect-error an ok answer has no reason
        result.reason;
      } else {
        expectTypeOf(result).toMatchTypeOf<NotOk>();
        expectTypeOf(result.reason).toEqualTypeOf<NotOkReason>();
        expectTypeOf(result.error).toEqualTypeOf<ReconnectingMemcachedError | undefined>();
        // @ts-expect-error a not-ok answer has no item
        result.item;
      }
    }));

  it('getMulti: hits and unavailable keys when ok', () =>
    typeCheck(async (cache) => {
      const result = await cache.getMulti(['a', 'b']);
      expectTypeOf(result).toEqualTypeOf<GetMultiResult>();
      if (result.ok) {
        expectTypeOf(result.items).toEqualTypeOf<Map<string, Item>>();
        expectTypeOf(result.unavailable).toEqualTypeOf<readonly string[]>();
      }
    }));

  it('set and delete answer booleans; ping resolves nothing', () =>
    typeCheck((cache) => {
      expectTypeOf(cache.set({ key: 'k', value: 'v' })).toEqualTypeOf<Promise<boolean>>();
      expectTypeOf(cache.delete('k')).toEqualTypeOf<Promise<boolean>>();
      expectTypeOf(cache.ping()).toEqualTypeOf<Promise<void>>();
      // @ts-expect-error a value is a Buffer or a string
      cache.set({ key: 'k', value: 42 });
    }));
});

describe('options', () => {
  it('need servers; durations are numbers of milliseconds', () => {
    expectTypeOf<ClientOptions>().toHaveProperty('servers');
    // @ts-expect-error servers is required
    const none: ClientOptions = {};
    // @ts-expect-error a duration is a number of milliseconds, not a string with a unit
    const withUnit: ClientOptions = { servers: 'a:1', timeoutMs: '100ms' };
    // @ts-expect-error distribution is one of the named ones
    const unknownDistribution: ClientOptions = { servers: 'a:1', distribution: 'random' };
    void [none, withUnit, unknownDistribution];
  });
});

describe('the machines behind the client are typed', () => {
  it('connectionActor() is an actor of the connection machine', () =>
    typeCheck((cache) => {
      const actor = cache.connectionActor();
      expectTypeOf(actor).toEqualTypeOf<ActorRefFrom<ConnectionMachine>>();
      expectTypeOf(actor.getSnapshot().context.generation).toEqualTypeOf<number>();
      actor.send({ type: 'CALL.FAILED', generation: 0 });
      // @ts-expect-error the machine has no such event
      actor.send({ type: 'RECONNECT' });
    }));

  it('subscribe hears typed state changes', () =>
    typeCheck((cache) => {
      cache.subscribe((change) => {
        expectTypeOf(change).toEqualTypeOf<StateChange>();
        expectTypeOf(change.state).toEqualTypeOf<ConnectionState>();
      });
    }));
});

describe('errors', () => {
  it('isReconnectingMemcachedError narrows to an error with a code', () => {
    const err: unknown = new Error('x');
    if (isReconnectingMemcachedError(err)) expectTypeOf(err.code).toEqualTypeOf<ErrorCode>();
  });
});
