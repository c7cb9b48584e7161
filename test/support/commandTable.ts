import { expect } from 'vitest';
import type { CallOptions, Client } from '../../src/api/Client';
import type { CasToken } from '../../src/api/Item';
import type { NotOkReason } from '../../src/api/results';
import { AdminCommandError } from '../../src/core/errors';

/**
 * How a command answers "not ok": a result object (`{ ok: false, reason }`), a boolean (`set`,
 * `delete`: false), or a rejection (admin commands: `AdminCommandError`; `ping`: the server's error).
 */
export type AnswerKind = 'result' | 'boolean' | 'admin' | 'ping';

export interface Command {
  readonly name: string;
  readonly kind: AnswerKind;
  /** The command on well-formed input, with `opts` as its per-call options. */
  call(cache: Client, opts?: CallOptions): Promise<unknown>;
}

const CAS = 1n as CasToken;

/** Every method of the client that talks to memcached, each called on valid input. */
export const COMMANDS: readonly Command[] = [
  { name: 'get', kind: 'result', call: (c, o) => c.get('k', o) },
  { name: 'gets', kind: 'result', call: (c, o) => c.gets('k', o) },
  { name: 'gat', kind: 'result', call: (c, o) => c.gat('k', 60, o) },
  { name: 'gats', kind: 'result', call: (c, o) => c.gats('k', 60, o) },
  { name: 'getMulti', kind: 'result', call: (c, o) => c.getMulti(['k', 'l'], o) },
  { name: 'set', kind: 'boolean', call: (c, o) => c.set({ key: 'k', value: 'v' }, o) },
  { name: 'add', kind: 'result', call: (c, o) => c.add({ key: 'k', value: 'v' }, o) },
  { name: 'replace', kind: 'result', call: (c, o) => c.replace({ key: 'k', value: 'v' }, o) },
  { name: 'append', kind: 'result', call: (c, o) => c.append('k', 'v', o) },
  { name: 'prepend', kind: 'result', call: (c, o) => c.prepend('k', 'v', o) },
  { name: 'cas', kind: 'result', call: (c, o) => c.cas({ key: 'k', value: 'v', cas: CAS }, o) },
  { name: 'delete', kind: 'boolean', call: (c, o) => c.delete('k', o) },
  { name: 'incr', kind: 'result', call: (c, o) => c.incr('n', 1, o) },
  { name: 'decr', kind: 'result', call: (c, o) => c.decr('n', 1, o) },
  { name: 'touch', kind: 'result', call: (c, o) => c.touch('k', 60, o) },
  { name: 'setMulti', kind: 'result', call: (c, o) => c.setMulti([{ key: 'k', value: 'v' }], o) },
  { name: 'deleteMulti', kind: 'result', call: (c, o) => c.deleteMulti(['k', 'l'], o) },
  { name: 'flush', kind: 'admin', call: (c, o) => c.flush(o) },
  { name: 'stats', kind: 'admin', call: (c, o) => c.stats(o) },
  { name: 'version', kind: 'admin', call: (c, o) => c.version(o) },
  { name: 'ping', kind: 'ping', call: (c, o) => c.ping(o) },
];

/**
 * Asserts that `answer` (what the command's promise settled to, `{ rejected }` for a rejection) is
 * the not-ok answer for `reason`, in the command's own form. `error` checks the error a rejection,
 * or an admin command's failure for the only server, carries.
 */
export function expectNotOk(
  command: Command,
  answer: unknown,
  reason: NotOkReason,
  error?: (err: unknown) => void,
): void {
  const what = `${command.name} answered`;
  switch (command.kind) {
    case 'boolean':
      expect(answer, what).toBe(false);
      return;
    case 'result':
      expect(answer, what).toMatchObject({ ok: false, reason });
      return;
    case 'admin': {
      const { rejected } = answer as { rejected: unknown };
      expect(rejected, what).toBeInstanceOf(AdminCommandError);
      const failures = [...(rejected as AdminCommandError).failures.values()];
      expect(failures, what).toHaveLength(1);
      error?.(failures[0]);
      return;
    }
    case 'ping':
      expect(answer, what).toHaveProperty('rejected');
      error?.((answer as { rejected: unknown }).rejected);
  }
}

/** The command's promise, settled: its value, or `{ rejected: err }`. */
export function outcome(pending: Promise<unknown>): Promise<unknown> {
  return pending.then(
    (value) => value,
    (rejected: unknown) => ({ rejected }),
  );
}
