import type { CallOptions } from '../api/CallOptions';
import type { AnyAdminSpec } from '../commands/AdminSpec';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { BatchCommands } from './BatchCommands';

/**
 * Gives `client` one method per admin spec of `specs` (own, not enumerable, as a class's methods
 * are not), each run on every server by `batch`; the port call of each is made once, here.
 */
export function attachAdminCommands(
  client: object,
  specs: readonly AnyAdminSpec[],
  batch: BatchCommands<unknown, unknown>,
): void {
  for (const spec of specs) {
    const op = (port: MemcachedPort) => port.command(spec, undefined);
    const value = (opts?: CallOptions) => batch.admin(spec, op, opts);
    Object.defineProperty(client, spec.name, { value, writable: true, configurable: true });
  }
}
