import type { PortCommand } from '../port/PortCommand';

/**
 * A command on every server (an admin command), declared once: the client's method it is, the
 * caller's result from every server's answer, and a part per protocol (PortCommand, handed no
 * arguments). The client attaches one method per spec (src/client/adminCommand.ts); a server that
 * fails it is named in an `AdminCommandError`.
 */
export interface AdminSpec<N extends string, T, R = unknown> extends PortCommand<undefined, T> {
  readonly name: N;
  /** The caller's result, from every server's answer by server (`host:port`). */
  readonly answer: (answers: Map<string, T>) => R;
}

/** Any admin spec, as lists and the client's loop hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a list of specs of different answer types
export type AnyAdminSpec = AdminSpec<string, any, any>;
