import type { Client } from '../api/Client';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from '../config/options';
import { memjsPortFactory } from '../memjs/MemjsPort';
import { metaPortFactory } from '../meta/MetaPort';
import type { PortFactory } from '../port/MemcachedPort';
import { ReconnectingClient } from './ReconnectingClient';

/** Creates a client. Throws `InvalidOptionError` (a `TypeError`) for a bad option. */
export function createClient(options: ClientOptions): Client {
  const resolved = resolveOptions(options);
  return new ReconnectingClient(resolved, portFactory(resolved));
}

/** The adapter the `protocol` option selects: memjs for `'binary'`, the meta port for `'meta'`. */
export function portFactory(options: ResolvedOptions): PortFactory {
  return options.protocol === 'meta' ? metaPortFactory(options) : memjsPortFactory(options);
}

/** For tests: the same client over any port, with an optional pinned random source for the jitter. */
export function createClientWithPort(
  options: ClientOptions,
  portFactory: PortFactory,
  internals: { readonly random?: () => number } = {},
): Client {
  return new ReconnectingClient(resolveOptions(options), portFactory, internals.random);
}
