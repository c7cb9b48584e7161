import type { CommandParts } from '../commands/CommandParts';
import type { ClientParts } from './ClientParts';
import { encodedOutgoing, outgoing } from './outgoing';

/** What the command specs use of this client (src/commands/CommandParts.ts), made once per client. */
export function commandParts<V, In>(parts: ClientParts<V, In>): CommandParts {
  const { prefix, unixSeconds, expirations } = parts;
  const values = parts.values as ClientParts<unknown, In>['values'];
  return {
    key: (key) => prefix.key(key),
    unixSeconds,
    expirations,
    item: (item, command) => encodedOutgoing(outgoing(item, command, prefix, values, unixSeconds, expirations)),
    // Answers are decoded (an async codec's answer is a promise the call's promise adopts).
    getResult: (item, call) => values.getResult(prefix.item(item), call),
    getsResult: (item, call) => values.getsResult(prefix.item(item), call),
  };
}
