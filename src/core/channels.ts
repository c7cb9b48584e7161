import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The `diagnostics_channel` TracingChannel every command is published on:
 * `tracing:reconnecting-memcached:command:start`, `:end`, `:asyncStart`, `:asyncEnd` and `:error`.
 */
export const COMMAND_CHANNEL = 'reconnecting-memcached:command';
/**
 * The plain channel every state change of a server's connection is published on: the `StateChange`
 * `subscribe` gets, with `client` (the client's `name`) added.
 */
export const STATE_CHANNEL = 'reconnecting-memcached:state';
/**
 * The plain channel every server list that discovery applies is published on: a `DiscoveryChange`.
 */
export const DISCOVERY_CHANNEL = 'reconnecting-memcached:discovery';

/** What the discovery channel publishes when a discovered list is applied. */
export interface DiscoveryChange {
  /** The client's `name` option. */
  readonly client: string;
  /** Where the list came from: `elasticache host:port`, `dns name:port` or `srv name`. */
  readonly source: string;
  /** The configuration's version (ElastiCache); undefined for DNS. */
  readonly version: number | undefined;
  /** The whole list now in force, `host:port` each. */
  readonly servers: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * The context object of one command on the TracingChannel: the same object goes to every event of
 * that command. Never holds a key, a value or a credential.
 */
export interface CommandContext<Outcome extends string = string> {
  /** The client's `name` option (by default unique in this process): which client sent it. */
  readonly client: string;
  /** The client's method: `'get'`, `'set'`, `'getMulti'`, `'delete'`, `'ping'`, ... */
  readonly command: string;
  /** The server the command went to, `host:port` (or a UNIX socket's path), never with credentials. */
  readonly server: string;
  /** How many keys the command carried to this server (0 for `ping` and other keyless commands). */
  readonly keyCount: number;
  /** Set before `asyncStart`: `'ok'`, or the not-ok reason the caller got. */
  outcome?: Outcome;
  /** For a read that answered ok: how many of its keys were found (a `get` is 0 or 1). */
  hits?: number;
  /** The error behind a not-ok outcome (`TimeoutError`, `ConnectionError`, `ServerError`, ...), if any. */
  error?: Error;
}

export const commandChannel = diagnosticsChannel.tracingChannel<unknown, CommandContext>(COMMAND_CHANNEL);
export const stateChannel = diagnosticsChannel.channel(STATE_CHANNEL);
export const discoveryChannel = diagnosticsChannel.channel(DISCOVERY_CHANNEL);

/**
 * Whether anyone listens to the command channel. Checked before building anything, so a process
 * that does not trace pays five property reads per call. (TracingChannel's own `hasSubscribers`
 * is missing before Node 20.13.)
 */
export function tracingCommands(): boolean {
  return (
    commandChannel.start.hasSubscribers ||
    commandChannel.end.hasSubscribers ||
    commandChannel.asyncStart.hasSubscribers ||
    commandChannel.asyncEnd.hasSubscribers ||
    commandChannel.error.hasSubscribers
  );
}

/**
 * Publishes one command: `start` now (binding the subscribers' stores around `run`, as
 * `tracePromise` does), `end` when `run` returns, then, when its answer settles, `error` (for an
 * outcome with an error) and `asyncStart`/`asyncEnd`. `run` must set `outcome` (and `hits`,
 * `error`) on the context before its promise settles; a rejection is recorded as the error.
 */
export function traceCommand<R>(context: CommandContext, run: (context: CommandContext) => Promise<R>): Promise<R> {
  const { start, end, asyncStart, asyncEnd, error } = commandChannel;
  return start.runStores(context, () => {
    let answer: Promise<R>;
    try {
      answer = run(context);
    } catch (err) {
      context.error = err as Error;
      error.publish(context);
      throw err;
    } finally {
      end.publish(context);
    }
    return answer.then(
      (value) => {
        if (context.error !== undefined) error.publish(context);
        asyncStart.publish(context);
        asyncEnd.publish(context);
        return value;
      },
      (err: unknown) => {
        context.error = err as Error;
        error.publish(context);
        asyncStart.publish(context);
        asyncEnd.publish(context);
        throw err;
      },
    );
  });
}

/**
 * What a call runner needs to publish one kind of command: its name and, for reads, how many keys
 * an ok answer found. One constant object per kind, so a call allocates nothing for it.
 */
export interface CommandKind<T = never> {
  readonly name: string;
  hits?(answer: T): number;
}

/** Something like a not-ok answer: what the context records of one. */
interface NotOkLike {
  readonly reason: string;
  readonly error?: Error;
}

/**
 * Runs one call under `traceCommand`: `run` gets `onOk` and `onNotOk` wrapped so that they record
 * the outcome (and hits, and error) on the context before the caller's promise settles. Only called
 * when `tracingCommands()` is true.
 */
export function traceCall<T, R, N extends NotOkLike, C>(
  kind: CommandKind<T>,
  client: string,
  server: string,
  keyCount: number,
  onOk: (value: T, call: C) => R,
  onNotOk: (notOk: N) => R,
  run: (onOk: (value: T, call: C) => R, onNotOk: (notOk: N) => R) => Promise<R>,
): Promise<R> {
  const context: CommandContext = { client, command: kind.name, server, keyCount };
  return traceCommand(context, () =>
    run(
      (value, call) => {
        context.outcome = 'ok';
        if (kind.hits) context.hits = kind.hits(value);
        const answer = onOk(value, call);
        // memcached answered, but the caller may still get not-ok (a value that fails to decode).
        if (isThenable(answer)) answer.then((settled) => noteNotOk(context, settled), noop);
        else noteNotOk(context, answer);
        return answer;
      },
      (notOk) => {
        context.outcome = notOk.reason;
        if (notOk.error) context.error = notOk.error;
        return onNotOk(notOk);
      },
    ),
  );
}

function noteNotOk(context: CommandContext, answer: unknown): void {
  const notOk = answer as Partial<NotOkLike> & { ok?: unknown };
  if (notOk === null || typeof notOk !== 'object' || notOk.ok !== false || typeof notOk.reason !== 'string') return;
  context.outcome = notOk.reason;
  if (notOk.error) context.error = notOk.error;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

const noop = (): void => {};

/**
 * Publishes a state change of `client`'s connection, if anyone listens: a copy with `client` added,
 * since the `StateChange` listeners get has no client (each client's listeners know theirs).
 */
export function publishState(client: string, change: object): void {
  if (stateChannel.hasSubscribers) stateChannel.publish({ ...change, client });
}

/** Publishes an applied discovered list, if anyone listens. */
export function publishDiscovery(change: DiscoveryChange): void {
  if (discoveryChannel.hasSubscribers) discoveryChannel.publish(change);
}
