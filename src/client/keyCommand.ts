import { isPromiseLike } from '../codec/Codec';
import { passNotOk } from '../commands/answers';
import type { CommandParts } from '../commands/CommandParts';
import type { AnyKeySpec } from '../commands/KeySpec';
import type { CallDeadline } from '../engine/CallDeadline';
import type { PortCall } from '../engine/CallRunner';
import type { ClientParts } from './ClientParts';

/** What running a call takes of the client's parts. */
type RunParts = Pick<ClientParts<unknown, unknown>, 'calls' | 'pool'>;

/** A client's method made from a spec: the caller's arguments as the `Client` interface has them. */
export type KeyMethod = (first: unknown, second?: unknown, third?: unknown) => Promise<unknown>;

/**
 * The client's method of `spec`, made once per client: it reads and checks the caller's
 * arguments (`spec.input`) before any I/O, then runs one call on the server that owns the key, whose
 * port runs its own protocol's part of the spec.
 */
export function keyCommand(spec: AnyKeySpec, client: RunParts, parts: CommandParts): KeyMethod {
  const { calls, pool } = client;
  const op: PortCall<unknown, unknown> = (port, args) => port.command(spec, args);
  const notOk = spec.notOk ?? passNotOk;
  const send = (args: { readonly userKey: string }, second: unknown, third: unknown): Promise<unknown> => {
    const answer: (value: unknown, call: CallDeadline) => unknown = spec.answer(args, parts);
    const opts = spec.options(args, second, third);
    return calls.run(pool.serverFor(args.userKey), op, args, answer, notOk, spec, 1, opts);
  };
  return (first, second, third) => {
    try {
      const args = spec.input(parts, first, second, third);
      if (isPromiseLike(args)) return Promise.resolve(args).then((encoded) => send(encoded, second, third));
      return send(args, second, third);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** Gives `client` one method per spec of `specs` (own, not enumerable, as a class's methods are not). */
export function attachKeyCommands(
  client: object,
  specs: readonly AnyKeySpec[],
  parts: RunParts,
  commands: CommandParts,
): void {
  for (const spec of specs) {
    const value = keyCommand(spec, parts, commands);
    Object.defineProperty(client, spec.name, { value, writable: true, configurable: true });
  }
}
