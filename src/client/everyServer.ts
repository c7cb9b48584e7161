import type { CallOptions } from '../api/CallOptions';
import type { NotOk } from '../api/results';
import { passNotOk } from '../commands/answers';
import type { CommandKind } from '../core/channels';
import { ClientClosedError, ConnectionDownError, type ReconnectingMemcachedError } from '../core/errors';
import type { CallRunner } from '../engine/CallRunner';
import type { CallTarget } from '../engine/CallTarget';
import { copyCallOptions } from '../engine/callOptions';
import type { MemcachedPort } from '../port/MemcachedPort';

/**
 * The error a command over every server rejects with, from each failing server's error (by id, in
 * server-list order) and what the others answered: `PingError` for `ping`, `AdminCommandError`
 * for the admin commands.
 */
export type FailureReport<T> = (failures: Map<string, ReconnectingMemcachedError>, answers: Map<string, T>) => Error;

/**
 * Runs `op` on every server at once (admin commands, `ping`) and resolves each server's answer by
 * its id. Rejects when any server failed: with the signal's reason when the caller aborted,
 * `ClientClosedError` after close, else what `failure` makes of the failures (a server
 * reconnecting fails with a `ConnectionDownError`).
 */
export function everyServer<T>(
  calls: CallRunner,
  members: readonly CallTarget[],
  op: (port: MemcachedPort) => Promise<T>,
  kind: CommandKind<T>,
  opts: CallOptions | undefined,
  failure: FailureReport<T>,
): Promise<Map<string, T>> {
  // Read once for every server's call.
  const own = copyCallOptions(opts);
  const signal = own?.signal;
  const answers = new Map<string, T>();
  const asked = members.map((member) =>
    calls.run<undefined, T, NotOk | undefined>(
      member,
      op,
      undefined,
      (answer) => {
        answers.set(member.id, answer);
        return undefined;
      },
      passNotOk,
      kind,
      0,
      own,
    ),
  );
  return Promise.all(asked).then((results) => {
    // The caller's abort is the caller's, as fetch reports it: no server is to blame.
    if (signal?.aborted && results.some((notOk) => notOk?.reason === 'aborted')) throw signal.reason;
    const failures = new Map<string, ReconnectingMemcachedError>();
    results.forEach((notOk, i) => {
      const member = members[i] as CallTarget;
      if (notOk) failures.set(member.id, errorOf(notOk, member.id));
    });
    if (failures.size === 0) return answers;
    if (calls.closed) throw new ClientClosedError();
    throw failure(failures, answers);
  });
}

function errorOf(notOk: NotOk, server: string): ReconnectingMemcachedError {
  if (notOk.error) return notOk.error;
  return notOk.reason === 'closed' ? new ClientClosedError() : new ConnectionDownError(server);
}
