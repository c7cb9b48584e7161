import type { CallOptions } from '../api/CallOptions';
import type { NotOk } from '../api/results';
import { passNotOk } from '../commands/answers';
import type { CommandKind } from '../core/channels';
import type { CallRunner } from '../engine/CallRunner';
import type { CallTarget } from '../engine/CallTarget';
import { copyCallOptions } from '../engine/callOptions';
import type { ServerPool } from '../pool/ServerPool';
import type { MemcachedPort } from '../port/MemcachedPort';

/** How a multi-key call went over the servers that own its keys. */
export interface Spread {
  /** Keys (the caller's) whose server was down or failed: treat them as misses. */
  readonly unavailable: string[];
  /** How many servers answered. */
  readonly answered: number;
  /** The first not-ok answer, for when no server answered. */
  readonly firstNotOk: NotOk | undefined;
}

/**
 * Runs one call per server that owns some of `entries`, all at once: `op` gets that server's port
 * and its group (in the caller's order), `collect` each server's answer; each server's call is
 * published as one `kind` command with its group's key count. A server that is down or fails only
 * makes its own entries `unavailable`.
 */
export function spread<E, T>(
  calls: CallRunner,
  pool: ServerPool,
  entries: readonly E[],
  keyOf: (entry: E) => string,
  kind: CommandKind<T>,
  op: (port: MemcachedPort, group: E[]) => Promise<T>,
  collect: (answer: T) => void,
  opts?: CallOptions,
): Promise<Spread> {
  // Read once for every server's call.
  const own = copyCallOptions(opts);
  const groups = new Map<CallTarget, E[]>();
  for (const entry of entries) {
    const member = pool.serverFor(keyOf(entry));
    const group = groups.get(member);
    if (group) group.push(entry);
    else groups.set(member, [entry]);
  }
  const asked = [...groups].map(([member, group]) =>
    calls.run<undefined, T, NotOk | undefined>(
      member,
      (port) => op(port, group),
      undefined,
      (answer) => {
        collect(answer);
        return undefined;
      },
      passNotOk,
      kind,
      group.length,
      own,
    ),
  );
  const groupList = [...groups.values()];
  return Promise.all(asked).then((results) => {
    const unavailable: string[] = [];
    let firstNotOk: NotOk | undefined;
    let answered = 0;
    results.forEach((notOk, i) => {
      if (!notOk) {
        answered++;
        return;
      }
      firstNotOk ??= notOk;
      for (const entry of groupList[i] as E[]) unavailable.push(keyOf(entry));
    });
    return { unavailable, answered, firstNotOk };
  });
}
