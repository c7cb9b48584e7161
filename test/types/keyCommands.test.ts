// The client's methods made from the command specs (attached by a loop in its constructor) keep the
// signatures the hand-written `Client` interface documents: checked by `npm run typecheck`.
import { expectTypeOf, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import type { ReconnectingClient } from '../../src/client/ReconnectingClient';
import type { AdminSpec } from '../../src/commands/AdminSpec';
import type { AdminCommandName } from '../../src/commands/adminCommands';
import type { CAS } from '../../src/commands/cas';
import type { APPEND } from '../../src/commands/concat';
import type { INCR } from '../../src/commands/counter';
import type { DELETE } from '../../src/commands/deleteKey';
import type { FLUSH } from '../../src/commands/flush';
import type { KeySpec } from '../../src/commands/KeySpec';
import type { KeyCommandName } from '../../src/commands/keyCommands';
import type { STATS } from '../../src/commands/stats';
import type { ADD } from '../../src/commands/store';
import type { TOUCH } from '../../src/commands/touch';
import type { VERSION } from '../../src/commands/version';
import type { Codec, CounterResult } from '../../src/index';

/** The attached methods of a client of values `V` (read) and `In` (written), as the compiler sees them. */
type Attached<V, In> = { [K in SpecName]: ReconnectingClient<V, In>[K] };
type SpecName = KeyCommandName | AdminCommandName;

/** What a spec's mapping makes of an answer: what the caller's promise resolves with. */
// biome-ignore lint/suspicious/noExplicitAny: matching any spec
type SpecResult<S> = S extends KeySpec<any, any, any, infer R> ? R : S extends AdminSpec<any, any, infer R> ? R : never;
type Resolved<K extends keyof Client> = Client[K] extends (...args: never[]) => Promise<infer R> ? R : never;

interface Profile {
  readonly name: string;
}

function attachedTypes(profiles: Codec<Profile>): void {
  // Every spec names a method of Client, and every Client method is the client's.
  expectTypeOf<SpecName>().toExtend<keyof Client>();
  expectTypeOf<ReconnectingClient>().toExtend<Client>();
  expectTypeOf<ReconnectingClient<Profile, Profile>>().toExtend<Client<Profile, Profile>>();
  // The attached methods are exactly Client's, with the raw codec's types and a codec's own.
  expectTypeOf<Attached<Buffer, Buffer | string>>().toEqualTypeOf<Pick<Client, SpecName>>();
  expectTypeOf<Attached<Profile, Profile>>().toEqualTypeOf<Pick<Client<Profile, Profile>, SpecName>>();
  expectTypeOf<ReconnectingClient<Profile, Profile>['gets']>().returns.resolves.toEqualTypeOf<
    Awaited<ReturnType<Client<Profile, Profile>['gets']>>
  >();
  expectTypeOf<ReconnectingClient['incr']>().toEqualTypeOf<Client['incr']>();
  expectTypeOf<ReconnectingClient['stats']>().toEqualTypeOf<Client['stats']>();
  // The specs whose result the codec does not decide map their answers to exactly the Client's.
  expectTypeOf<SpecResult<typeof TOUCH>>().toEqualTypeOf<Resolved<'touch'>>();
  expectTypeOf<SpecResult<typeof DELETE>>().toEqualTypeOf<Resolved<'delete'>>();
  expectTypeOf<SpecResult<typeof ADD>>().toEqualTypeOf<Resolved<'add'>>();
  expectTypeOf<SpecResult<typeof APPEND>>().toEqualTypeOf<Resolved<'append'>>();
  expectTypeOf<SpecResult<typeof CAS>>().toEqualTypeOf<Resolved<'cas'>>();
  expectTypeOf<SpecResult<typeof INCR>>().toEqualTypeOf<CounterResult<number> | CounterResult<bigint>>();
  expectTypeOf<SpecResult<typeof FLUSH>>().toEqualTypeOf<Resolved<'flush'>>();
  expectTypeOf<SpecResult<typeof STATS>>().toEqualTypeOf<Resolved<'stats'>>();
  expectTypeOf<SpecResult<typeof VERSION>>().toEqualTypeOf<Resolved<'version'>>();
  void profiles;
}

it('the methods attached from specs keep the Client signatures (checked by the compiler)', () => {
  expectTypeOf(attachedTypes).toBeFunction();
});
