import type { CallOptions } from '../api/CallOptions';
import type { SetItem } from '../api/Client';
import type { Item } from '../api/Item';
import { CLOSED, type DeleteMultiResult, type GetMultiResult, NO_KEYS, type SetMultiResult } from '../api/results';
import type { AdminSpec } from '../commands/AdminSpec';
import { answeredNothing, passNotOk } from '../commands/answers';
import { DELETE_MULTI, GET_MULTI, SET_MULTI } from '../commands/batches';
import type { CommandKind } from '../core/channels';
import { AdminCommandError, PingError } from '../core/errors';
import type { CallDeadline } from '../engine/CallDeadline';
import { copyCallOptions } from '../engine/callOptions';
import type { ServerConnection } from '../pool/ServerConnection';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { ClientParts } from './ClientParts';
import { PING } from './commandKinds';
import { everyServer, type FailureReport } from './everyServer';
import { guarded } from './guarded';
import { type Outgoing, outgoingList, whenAllEncoded } from './outgoing';
import { type Spread, spread } from './spread';

const userKeyOf = (item: Outgoing): string => item.userKey;
const keyOf = (key: string): string => key;

/**
 * The commands over many keys (one pipelined round per server that owns some: `spread`) and over
 * every server (admin commands and `ping`: `everyServer`). A list with no key asks nobody.
 */
export class BatchCommands<V, In> {
  readonly #c: ClientParts<V, In>;
  readonly #toGetMultiResult: (
    hits: Map<string, Item>,
    call: CallDeadline,
  ) => GetMultiResult<V> | Promise<GetMultiResult<V>>;

  constructor(parts: ClientParts<V, In>) {
    const { prefix, values } = parts;
    this.#c = parts;
    this.#toGetMultiResult = (hits, call) => values.itemsResult(prefix.items(hits), NO_KEYS, call);
  }

  getMulti(keys: readonly string[], opts?: CallOptions): Promise<GetMultiResult<V>> {
    return guarded(() => {
      const list = this.#c.prefix.keys(keys, false);
      if (list.length === 0) return this.#nothingAsked(opts, { ok: true, items: new Map(), unavailable: NO_KEYS });
      const members = this.#c.pool.members;
      if (members.length === 1) {
        const wire = this.#c.prefix.wireKeys(list);
        const member = members[0] as ServerConnection;
        return this.#c.calls.run(
          member,
          (port) => port.command(GET_MULTI, wire),
          undefined,
          this.#toGetMultiResult,
          passNotOk,
          GET_MULTI,
          wire.length,
          opts,
        ) as Promise<GetMultiResult<V>>;
      }
      const items = new Map<string, Item>();
      const prefix = this.#c.prefix;
      const own = copyCallOptions(opts);
      const asked = this.#spread(GET_MULTI, unique(list), keyOf, own, prefix.wireKeys.bind(prefix), (port, wire) =>
        port.command(GET_MULTI, wire).then((hits) => {
          for (const item of prefix.items(hits).values()) items.set(item.key, item);
          return hits;
        }),
      );
      // Decoding what the servers answered ends by their calls' deadline too.
      const { calls, values } = this.#c;
      const deadline = values.decodes ? calls.deadline(own?.timeoutMs) : undefined;
      const answer = asked.then((done) =>
        done.answered === 0 && done.firstNotOk
          ? done.firstNotOk
          : values.itemsResult(items, done.unavailable, deadline),
      );
      if (deadline === undefined) return answer;
      return answer.finally(() => calls.done(deadline));
    });
  }

  setMulti(items: readonly SetItem<In>[], opts?: CallOptions): Promise<SetMultiResult> {
    return guarded(() => {
      const { prefix, values, unixSeconds, expirations } = this.#c as ClientParts<unknown, In>;
      const list = outgoingList(items, prefix, values, unixSeconds, expirations);
      if (list.length === 0) return this.#nothingAsked(opts, { ok: true, failed: NO_KEYS, unavailable: NO_KEYS });
      return whenAllEncoded(list, (wireItems) => {
        const failed: string[] = [];
        const asked = this.#spread(SET_MULTI, wireItems, userKeyOf, opts, sameItems, (port, group) =>
          port.command(SET_MULTI, group).then((refused) => {
            for (const key of refused) failed.push(this.#c.prefix.userKey(key));
          }),
        );
        return asked.then((done) => answerOf(done, { ok: true, failed, unavailable: done.unavailable }));
      });
    });
  }

  deleteMulti(keys: readonly string[], opts?: CallOptions): Promise<DeleteMultiResult> {
    return guarded(() => {
      const list = this.#c.prefix.keys(keys, true);
      if (list.length === 0) return this.#nothingAsked(opts, { ok: true, unavailable: NO_KEYS });
      const prefix = this.#c.prefix;
      const asked = this.#spread(DELETE_MULTI, list, keyOf, opts, prefix.wireKeys.bind(prefix), (port, wire) =>
        port.command(DELETE_MULTI, wire),
      );
      return asked.then((done) => answerOf(done, { ok: true, unavailable: done.unavailable }));
    });
  }

  /**
   * Resolves when every server answers. With one server, rejects with that server's own error
   * (`ConnectionDownError` while reconnecting); with several, with a `PingError`.
   */
  ping(opts?: CallOptions): Promise<void> {
    return guarded(() => {
      const targets = this.#c.pool.targets;
      const servers = targets.length;
      const failure: FailureReport<void> = (failures) =>
        servers === 1 ? (failures.values().next().value as Error) : new PingError(failures, servers);
      return everyServer(this.#c.calls, targets, (port) => port.ping(), PING, opts, failure);
    }).then(answeredNothing);
  }

  /**
   * The admin command of `spec` on every server (`op` runs it on one port): its result from every
   * server's answer; an `AdminCommandError` names each server that failed.
   */
  admin<T>(spec: AdminSpec<string, T>, op: (port: MemcachedPort) => Promise<T>, opts: CallOptions | undefined) {
    return guarded(() => {
      const failure: FailureReport<T> = (failures, answers) => new AdminCommandError(spec.name, failures, answers);
      return everyServer(this.#c.calls, this.#c.pool.targets, op, spec, opts, failure);
    }).then(spec.answer);
  }

  /** Runs `op` on each server's group of `entries`, as its wire form (`wire`), all at once. */
  #spread<E, W, T>(
    kind: CommandKind<T>,
    entries: readonly E[],
    routeBy: (entry: E) => string,
    opts: CallOptions | undefined,
    wire: (group: E[]) => W,
    op: (port: MemcachedPort, wire: W) => Promise<T>,
  ): Promise<Spread> {
    const run = (port: MemcachedPort, group: E[]) => op(port, wire(group));
    return spread(this.#c.calls, this.#c.pool, entries, routeBy, kind, run, noop, opts);
  }

  // An empty list answers without I/O: ok, unless the client is closed (its options still checked).
  #nothingAsked<R>(opts: CallOptions | undefined, answer: R): Promise<R | typeof CLOSED> {
    copyCallOptions(opts);
    return Promise.resolve(this.#c.calls.closed ? CLOSED : answer);
  }
}

/** Not-ok only when no server answered (then the first not-ok answer); else `answer`. */
function answerOf<R>(done: Spread, answer: R): R | (Spread['firstNotOk'] & object) {
  return done.answered === 0 && done.firstNotOk ? done.firstNotOk : answer;
}

function unique(keys: string[]): string[] {
  return keys.length > 1 ? [...new Set(keys)] : keys;
}

function sameItems(group: Outgoing[]): Outgoing[] {
  return group;
}

function noop(): void {}
