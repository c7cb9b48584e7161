import type { NotOk } from '../api/results';
import type { CommandKind } from '../core/channels';
import { ClientClosedError, ConnectionDownError, PingError, type ReconnectingMemcachedError } from '../core/errors';
import type { CallRunner } from '../engine/CallRunner';
import type { ServerConnection } from '../pool/ServerConnection';
import type { MemcachedPort } from '../port/MemcachedPort';

/**
 * Runs `op` on every server at once (admin commands, `ping`) and resolves each server's answer by
 * its id. Rejects when any server failed: with one server, with that server's error
 * (`ConnectionDownError` while it is reconnecting); with several, a `PingError` naming each failing
 * server and why. `ClientClosedError` after close.
 */
export function everyServer<T>(
  calls: CallRunner,
  members: readonly ServerConnection[],
  op: (port: MemcachedPort) => Promise<T>,
  kind: CommandKind<T>,
): Promise<Map<string, T>> {
  const answers = new Map<string, T>();
  const asked = members.map((member) =>
    calls.run<T, NotOk | undefined>(
      member,
      op,
      (answer) => {
        answers.set(member.id, answer);
        return undefined;
      },
      (notOk) => notOk,
      kind,
      0,
    ),
  );
  return Promise.all(asked).then((results) => {
    if (members.length > 1 && calls.closed) throw new ClientClosedError();
    const failures = new Map<string, ReconnectingMemcachedError>();
    results.forEach((notOk, i) => {
      const member = members[i] as ServerConnection;
      if (notOk) failures.set(member.id, errorOf(notOk, member.id));
    });
    if (failures.size === 0) return answers;
    if (members.length === 1) throw failures.values().next().value as ReconnectingMemcachedError;
    throw new PingError(failures, members.length);
  });
}

function errorOf(notOk: NotOk, server: string): ReconnectingMemcachedError {
  if (notOk.error) return notOk.error;
  return notOk.reason === 'closed' ? new ClientClosedError() : new ConnectionDownError(server);
}
