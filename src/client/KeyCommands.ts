import type { CallOptions } from '../api/CallOptions';
import type { SetItem } from '../api/Client';
import type { Item } from '../api/Item';
import type { GetResult, NotOk } from '../api/results';
import { answeredTrue, passNotOk, refusedSet } from '../commands/answers';
import type { CallDeadline } from '../engine/CallDeadline';
import type { PortCall } from '../engine/CallRunner';
import type { ClientParts } from './ClientParts';
import { GET, SET } from './commandKinds';
import { guarded } from './guarded';
import { type Outgoing, outgoing, whenEncoded } from './outgoing';
import { portGetWith, portSetWith } from './portCalls';

/**
 * `get` and `set`, on their own path for speed: a shared port call handed the wire key or item and
 * the bytes the key's validation kept (no closure, no promise per call where the port can deliver
 * to the call's outcome). The other commands on one key are made from their specs (keyCommand.ts).
 */
export class KeyCommands<V, In> {
  readonly #c: ClientParts<V, In>;
  // Answers are decoded (an async codec's answer is a promise the call's promise adopts).
  readonly #toGetResult: (item: Item | undefined, call: CallDeadline) => GetResult<V> | Promise<GetResult<V>>;
  readonly #setNotOk: (notOk: NotOk, item: Outgoing) => false;
  readonly #portGet: PortCall<string, Item | undefined>;
  readonly #portSet: PortCall<Outgoing, void>;

  constructor(parts: ClientParts<V, In>) {
    const { prefix, values } = parts;
    this.#c = parts;
    this.#toGetResult = (item, call) => values.getResult(prefix.item(item), call);
    this.#setNotOk = refusedSet(parts.logger);
    this.#portGet = portGetWith(prefix.kept);
    this.#portSet = portSetWith(prefix.kept);
  }

  get(key: string, opts?: CallOptions): Promise<GetResult<V>> {
    let wire: string;
    try {
      wire = this.#c.prefix.key(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const { calls, pool } = this.#c;
    return calls.run(pool.serverFor(key), this.#portGet, wire, this.#toGetResult, passNotOk, GET, 1, opts) as Promise<
      GetResult<V>
    >;
  }

  /** True when stored. `set(null)` and `set(undefined)` are trivially true, as in the Go original. */
  set(item: SetItem<In> | null | undefined, opts?: CallOptions): Promise<boolean> {
    if (item === null || item === undefined) return Promise.resolve(true);
    return guarded(() => {
      const { prefix, values, unixSeconds, expirations } = this.#c as ClientParts<unknown, In>;
      return whenEncoded(outgoing(item, 'set', prefix, values, unixSeconds, expirations), (out) => {
        const { calls, pool } = this.#c;
        return calls.run(pool.serverFor(out.userKey), this.#portSet, out, answeredTrue, this.#setNotOk, SET, 1, opts);
      });
    });
  }
}
