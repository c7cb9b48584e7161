import { describe, expectTypeOf, it } from 'vitest';
import type { CasItem, Client, SetItem } from '../../src/api/Client';
import type { Item } from '../../src/api/Item';
import { createClient } from '../../src/client/createClient';
import type { Codec } from '../../src/codec/Codec';
import { compressed } from '../../src/codec/compressed';
import { jsonCodec } from '../../src/codec/jsonCodec';
import { memcachedPackageCodec } from '../../src/codec/memcachedPackageCodec';
import { type PythonValue, pymemcacheCodec } from '../../src/codec/pymemcacheCodec';

interface User {
  id: string;
  name: string;
}
const servers = ['127.0.0.1:11211'];

// Only types are checked (npm run typecheck): each body is a function that is compiled, never run,
// so no client is created.
describe('types follow the codec', () => {
  it('the default is raw: Buffers out, Buffers or strings in', () => {
    expectTypeOf(() => {
      const cache = createClient({ servers });
      expectTypeOf(cache).toEqualTypeOf<Client<Buffer, Buffer | string>>();
      type Got = Awaited<ReturnType<typeof cache.get>>;
      expectTypeOf<Extract<Got, { ok: true }>['item']>().toEqualTypeOf<Item<Buffer> | undefined>();
      expectTypeOf(cache.set).parameter(0).toEqualTypeOf<SetItem<Buffer | string> | null | undefined>();
      expectTypeOf<Client>().toEqualTypeOf<Client<Buffer, Buffer | string>>();
      expectTypeOf<Client<User>>().toEqualTypeOf<Client<User, User>>();
    }).toBeFunction();
  });

  it('jsonCodec<User>() gives get a User and set takes one', () => {
    expectTypeOf(() => {
      const cache = createClient({ servers, codec: jsonCodec<User>() });
      type Got = Extract<Awaited<ReturnType<typeof cache.get>>, { ok: true }>;
      expectTypeOf<NonNullable<Got['item']>['value']>().toEqualTypeOf<User>();
      type Many = Extract<Awaited<ReturnType<typeof cache.getMulti>>, { ok: true }>;
      expectTypeOf<Many['items']>().toEqualTypeOf<Map<string, Item<User>>>();
      expectTypeOf(cache.set).parameter(0).extract<object>().toHaveProperty('value').toEqualTypeOf<User>();
      // @ts-expect-error a string is not a User
      void cache.set({ key: 'k', value: 'not a user' });
      // The other value-carrying commands follow the codec too.
      type Gets = Extract<Awaited<ReturnType<typeof cache.gets>>, { ok: true }>;
      expectTypeOf<NonNullable<Gets['item']>['value']>().toEqualTypeOf<User>();
      type Gat = Extract<Awaited<ReturnType<typeof cache.gat>>, { ok: true }>;
      expectTypeOf<NonNullable<Gat['item']>['value']>().toEqualTypeOf<User>();
      expectTypeOf(cache.add).parameter(0).toEqualTypeOf<SetItem<User>>();
      expectTypeOf(cache.replace).parameter(0).toEqualTypeOf<SetItem<User>>();
      expectTypeOf(cache.cas).parameter(0).toEqualTypeOf<CasItem<User>>();
      expectTypeOf(cache.setMulti).parameter(0).toEqualTypeOf<readonly SetItem<User>[]>();
    }).toBeFunction();
  });

  it("a codec's decode may take the read's AbortSignal as a third parameter, or leave it out", () => {
    expectTypeOf(() => {
      const withSignal: Codec<User> = {
        encode: (user) => ({ value: Buffer.from(JSON.stringify(user)), flags: 0 }),
        decode: async (bytes, _flags, signal) => {
          expectTypeOf(signal).toEqualTypeOf<AbortSignal | undefined>();
          signal?.throwIfAborted();
          return JSON.parse(bytes.toString()) as User;
        },
      };
      // A codec written before the parameter existed is still a Codec.
      const without: Codec<User> = {
        encode: (user) => ({ value: Buffer.from(JSON.stringify(user)), flags: 0 }),
        decode: (bytes, flags) => (flags === 0 ? (JSON.parse(bytes.toString()) as User) : Promise.reject()),
      };
      expectTypeOf(createClient({ servers, codec: withSignal })).toEqualTypeOf<Client<User, User>>();
      expectTypeOf(createClient({ servers, codec: without })).toEqualTypeOf<Client<User, User>>();
      expectTypeOf(compressed(withSignal, { above: 1024 }).decode)
        .parameter(2)
        .toEqualTypeOf<AbortSignal | undefined>();
      expectTypeOf(jsonCodec<User>().decode).parameters.toEqualTypeOf<[value: Buffer, flags: number]>();
      const wrong: Codec<User> = {
        encode: withSignal.encode,
        // @ts-expect-error the third parameter is an AbortSignal
        decode: (_b: Buffer, _f: number, _s: number) => ({}) as User,
      };
      void wrong;
    }).toBeFunction();
  });

  it('compressed() keeps the inner codec types', () => {
    expectTypeOf(() => {
      const cache = createClient({ servers, codec: compressed(jsonCodec<User>(), { above: 1024 }) });
      expectTypeOf(cache).toEqualTypeOf<Client<User, User>>();
    }).toBeFunction();
  });

  it('pymemcacheCodec and memcachedPackageCodec', () => {
    expectTypeOf(() => {
      expectTypeOf(createClient({ servers, codec: pymemcacheCodec() })).toEqualTypeOf<
        Client<PythonValue, PythonValue>
      >();
      expectTypeOf(createClient({ servers, codec: memcachedPackageCodec() })).toEqualTypeOf<Client<unknown, unknown>>();
    }).toBeFunction();
  });

  it('a codec that takes more than it gives', () => {
    expectTypeOf(() => {
      const dates: Codec<Date, Date | number> = {
        encode: (value) => ({ value: Buffer.from(String(+value)), flags: 0 }),
        decode: (bytes) => new Date(Number(bytes.toString())),
      };
      const cache = createClient({ servers, codec: dates });
      expectTypeOf(cache).toEqualTypeOf<Client<Date, Date | number>>();
    }).toBeFunction();
  });
});
