import type { Client } from '../api/Client';
import type { DefaultInput } from '../codec/Codec';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from '../config/options';
import { memjsPortFactory } from '../memjs/MemjsPort';
import { metaPortFactory } from '../meta/MetaPort';
import type { PortFactory } from '../port/MemcachedPort';
import { textPortFactory } from '../text/TextPort';
import { ReconnectingClient } from './ReconnectingClient';

/**
 * Creates a client. Throws `InvalidOptionError` (a `TypeError`) for a bad option. Its value types
 * follow the `codec` option: `createClient({ servers, codec: jsonCodec<User>() })` is a `Client<User>`.
 */
export function createClient<V = Buffer, In = DefaultInput<V>>(options: ClientOptions<V, In>): Client<V, In> {
  const resolved = resolveOptions(options);
  return new ReconnectingClient<V, In>(resolved, portFactory(resolved));
}

/** The adapter the `protocol` option selects: memjs for `'binary'`, the meta or the text port. */
export function portFactory(options: ResolvedOptions): PortFactory {
  if (options.protocol === 'meta') return metaPortFactory(options);
  return options.protocol === 'text' ? textPortFactory(options) : memjsPortFactory(options);
}

/** For tests: the same client over any port, with an optional pinned random source for the jitter. */
export function createClientWithPort<V = Buffer, In = DefaultInput<V>>(
  options: ClientOptions<V, In>,
  portFactory: PortFactory,
  internals: { readonly random?: () => number } = {},
): Client<V, In> {
  return new ReconnectingClient<V, In>(resolveOptions(options), portFactory, internals.random);
}
