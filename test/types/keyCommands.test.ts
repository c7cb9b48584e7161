// The client's methods made from the command specs (attached by a loop in its constructor) keep the
// signatures the hand-written `Client` interface documents: checked by `npm run typecheck`.
import { expectTypeOf, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import type { ReconnectingClient } from '../../src/client/ReconnectingClient';
import type { AdminCommandName } from '../../src/commands/adminCommands';
import type { KeyCommandName } from '../../src/commands/keyCommands';
import type { Codec } from '../../src/index';

/** The attached methods of a client of values `V` (read) and `In` (written), as the compiler sees them. */
type Attached<V, In> = { [K in SpecName]: ReconnectingClient<V, In>[K] };
type SpecName = KeyCommandName | AdminCommandName;

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
  void profiles;
}

it('the methods attached from specs keep the Client signatures (checked by the compiler)', () => {
  expectTypeOf(attachedTypes).toBeFunction();
});
