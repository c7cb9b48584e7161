import type { Client } from '../api/Client';
import type { DefaultInput } from '../codec/Codec';
import { type ClientOptions, resolveOptions } from '../config/options';
import { memjsPortFactory } from '../memjs/MemjsPort';
import type { PortFactory } from '../port/MemcachedPort';
import { ReconnectingClient } from './ReconnectingClient';

/**
 * Creates a client. Throws `InvalidOptionError` (a `TypeError`) for a bad option. Its value types
 * follow the `codec` option: `createClient({ servers, codec: jsonCodec<User>() })` is a `Client<User>`.
 */
export function createClient<V = Buffer, In = DefaultInput<V>>(options: ClientOptions<V, In>): Client<V, In> {
  const resolved = resolveOptions(options);
  return new ReconnectingClient<V, In>(resolved, memjsPortFactory(resolved));
}

/** For tests: the same client over any port, with an optional pinned random source for the jitter. */
export function createClientWithPort<V = Buffer, In = DefaultInput<V>>(
  options: ClientOptions<V, In>,
  portFactory: PortFactory,
  internals: { readonly random?: () => number } = {},
): Client<V, In> {
  return new ReconnectingClient<V, In>(resolveOptions(options), portFactory, internals.random);
}
