import type { CallOptions } from '../api/CallOptions';
import type { NotOk } from '../api/results';
import type { CallDeadline } from '../engine/CallDeadline';
import type { PortCommand } from '../port/PortCommand';
import type { CommandParts } from './CommandParts';

/**
 * A command on one key, declared once: the client's method it is (`name`), how its arguments are
 * read and checked before any I/O, how its answer becomes the caller's result, and a part per
 * protocol (PortCommand). The client attaches one method per spec (src/client/keyCommand.ts);
 * `A` is what the ports are handed, `T` what they answer, `R` what the caller's promise resolves
 * with (unknown where the client's codec decides it).
 */
export interface KeySpec<N extends string, A extends { readonly userKey: string }, T, R = unknown>
  extends PortCommand<A, T> {
  readonly name: N;
  /** For a read: how many keys an answer found (published on the command channel). */
  readonly hits?: (value: T) => number;
  /**
   * Reads the caller's arguments once and checks them, before any I/O: the ports' arguments (a
   * promise while an async codec encodes a value). `userKey` routes the call.
   */
  input(parts: CommandParts, first: unknown, second: unknown, third: unknown): A | Promise<A>;
  /** The call's own options (`timeoutMs`, `signal`), from its arguments. */
  options(args: A, second: unknown, third: unknown): CallOptions | undefined;
  /** Maps the ports' answer to the caller's result: a function made once, picked for this call. */
  answer(args: A, parts: CommandParts): (value: T, call: CallDeadline) => R | Promise<R>;
  /** The result when the call answers not-ok; the not-ok answer itself unless given. */
  readonly notOk?: (notOk: NotOk) => R;
}

/** Any spec, as lists and the client's loop hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a list of specs of different argument and answer types
export type AnyKeySpec = KeySpec<string, any, any, any>;
