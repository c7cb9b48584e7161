import type { InspectionEvent, Observer } from 'xstate';
import type { Codec, DefaultInput } from '../codec/Codec';
import { rawCodec } from '../codec/rawCodec';
import type { Clock } from '../core/clock';
import { systemClock } from '../core/clock';
import { InvalidOptionError } from '../core/errors';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { DISTRIBUTIONS, type DistributionName } from '../distribution/Distribution';
import { resolveKeyPrefix } from './keyPrefix';
import { rejectUnknownOptions } from './knownOptions';
import type { ServerAddress, ServerSpec } from './parseServers';
import { parseServers } from './parseServers';
import { type Protocol, resolveProtocol } from './protocol';
import { type ResolvedTls, resolveTls, type TlsOptions } from './tls';

/**
 * Options of `createClient`. Only `servers` is required. `V` and `In` are the value types of the
 * `codec`: what reads answer and what writes take.
 */
export interface ClientOptions<V = Buffer, In = DefaultInput<V>> {
  /**
   * The memcached servers: an array, or one comma-separated string, of `host[:port]`,
   * `[ipv6]:port` or `user:pass@host:port` (SASL PLAIN). Port defaults to 11211. An array entry
   * may be `{ address, weight }` to give a server a larger share of the keys. Each server has its
   * own connection and heals on its own; see `distribution` for which server owns a key.
   */
  readonly servers: string | readonly (string | ServerSpec)[];
  /**
   * How keys are spread over several servers (docs/cluster.md):
   * - `'ketama'`: MD5 consistent hashing as libmemcached's weighted ketama (pylibmc `ketama_weighted`,
   *   php-memcached `OPT_LIBKETAMA_COMPATIBLE`): clients in other languages agree, and adding or
   *   removing a server moves only about 1/n of the keys.
   * - `'ketama-unweighted'`: libmemcached's unweighted ketama (pylibmc `behaviors={'ketama': True}`,
   *   libmemcached `MEMCACHED_BEHAVIOR_KETAMA`): one-at-a-time hashing, 100 points per server.
   * - `'modula'`: `crc32(key) % n`, as Go's gomemcache (the client of the Go original).
   * - `'memjs'`: memjs's own `hashCode(key) % n`, for a drop-in move from plain memjs.
   * @default 'ketama'
   */
  readonly distribution?: DistributionName;
  /**
   * Which wire protocol the client speaks (README "Choosing a protocol"):
   * - `'binary'`: memcached's binary protocol, through memjs; credentials are SASL PLAIN (`-S`).
   * - `'meta'`: memcached's meta commands (mg, ms, md, ma, mn; memcached 1.6+), on sockets of its
   *   own; credentials go to memcached's auth file (`-Y`). With it, `fetch` protects a key from a
   *   stampede across processes, and `invalidate` serves the stale value while one caller refreshes.
   * @default 'binary'
   */
  readonly protocol?: Protocol;
  /**
   * Prepended to every key on the wire (`'myapp:'`); the 250-byte key limit counts it, answers never
   * show it, and the owning server is chosen from the key without it (libmemcached's namespace).
   * @default ''
   */
  readonly keyPrefix?: string;
  /**
   * TLS to every TCP server, probes included (UNIX socket servers stay plain local sockets):
   * `true` for the system's CAs and SNI from the host name, or the `tls.ConnectionOptions` that
   * matter (`ca`, `cert`, `key`, `passphrase`, `servername`, `rejectUnauthorized`, `minVersion`,
   * `checkServerIdentity`). Certificates are checked unless `rejectUnauthorized: false` says not to.
   * @default false (plain TCP)
   */
  readonly tls?: boolean | TlsOptions;
  /**
   * How values become bytes plus flags and back (docs/values.md): `jsonCodec()`,
   * `compressed(codec, { above })`, `pymemcacheCodec()`, `memcachedPackageCodec()` or your own. The
   * client's value types follow it: `createClient({ codec: jsonCodec<User>() })` reads and writes
   * `User`s. A value that does not decode answers `{ ok: false, reason: 'decode' }`. With a codec,
   * items carry no `flags` of their own: the codec sets them.
   * @default raw: a Buffer or a string in, a Buffer out, `flags` as given
   */
  readonly codec?: Codec<V, In>;
  /**
   * The deadline of each call, in milliseconds, connecting included. A call that takes longer
   * answers not-ok and counts as a connection failure. Also memjs's socket timeout.
   * @default 100
   */
  readonly timeoutMs?: number;
  /**
   * How long opening a connection (TCP or UNIX socket, TLS handshake, SASL) may take, in
   * milliseconds, and with `timeoutMs` the deadline of a reconnect probe.
   * @default 2 * timeoutMs
   */
  readonly connectTimeoutMs?: number;
  /**
   * Consecutive connection failures after which the client stops calling memcached and heals in
   * the background. Any success resets the count. `1` heals on the first failure.
   * @default 10
   */
  readonly allowedFailuresBeforeHealing?: number;
  /**
   * The base wait before the first reconnect probe, in milliseconds. Each wait is random in
   * [d, 2d); d doubles after every failed probe, up to `maxRecoveryDelayMs`.
   * @default 10000
   */
  readonly recoveryDelayMs?: number;
  /**
   * The cap on d, in milliseconds. Equal to `recoveryDelayMs` gives the Go original's constant schedule.
   * @default max(60000, recoveryDelayMs)
   */
  readonly maxRecoveryDelayMs?: number;
  /**
   * The largest value a response may carry, in bytes. A response whose header claims more fails
   * its connection at once (a `connection` failure) instead of being buffered: a corrupt stream, or
   * something that is not memcached, claiming gigabytes. memcached's own item limit is `-I`
   * (1 MiB by default, at most 1 GiB); the default here is 64 times memcached's default, so a
   * raised `-I` keeps working untouched while memory per connection stays bounded. Raise it with
   * `-I` if you store larger items.
   * @default 67108864 (64 MiB)
   */
  readonly maxValueBytes?: number;
  /**
   * Where the client reports state changes and memjs's messages (with `error/warn/info/debug`).
   * @default silent
   */
  readonly logger?: Logger;
  /**
   * An XState inspection observer (or function) passed to `createActor`, e.g. from `@statelyai/inspect`.
   * Opt-in: with an inspector attached every event costs about 10x more.
   * @default none
   */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /**
   * The time source for deadlines and reconnect delays. Pass XState's `SimulatedClock` in tests to
   * move time by hand.
   * @default the system clock, with unref'd timers
   */
  readonly clock?: Clock;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly servers: readonly ServerAddress[];
  readonly distribution: DistributionName;
  readonly protocol: Protocol;
  readonly keyPrefix: string;
  /** undefined: plain TCP. */
  readonly tls: ResolvedTls | undefined;
  /** undefined for the raw codec: values pass as they are. */
  readonly codec: Codec<unknown, unknown> | undefined;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** A reconnect probe's deadline, ms: connecting, then one round trip. Computed here only. */
  readonly probeTimeoutMs: number;
  readonly allowedFailuresBeforeHealing: number;
  readonly recoveryDelayMs: number;
  readonly maxRecoveryDelayMs: number;
  readonly maxValueBytes: number;
  readonly logger: Logger;
  readonly inspect: ClientOptions['inspect'] | undefined;
  readonly clock: Clock;
}

// Every option, as a record so that an option added to ClientOptions but not here (or listed here
// but not one) fails the type check: an option missing here would be rejected as unknown.
const KNOWN_OPTIONS: { readonly [K in keyof Required<ClientOptions>]: true } = {
  servers: true,
  distribution: true,
  protocol: true,
  keyPrefix: true,
  tls: true,
  codec: true,
  timeoutMs: true,
  connectTimeoutMs: true,
  allowedFailuresBeforeHealing: true,
  recoveryDelayMs: true,
  maxRecoveryDelayMs: true,
  maxValueBytes: true,
  logger: true,
  inspect: true,
  clock: true,
};
const OPTION_NAMES = Object.keys(KNOWN_OPTIONS);

export const DEFAULTS = {
  timeoutMs: 100,
  allowedFailuresBeforeHealing: 10,
  recoveryDelayMs: 10_000,
  maxRecoveryDelayMs: 60_000,
  maxValueBytes: 64 * 1024 * 1024,
} as const;

/** Node's timers take at most 2^31-1 ms; a longer delay fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Applies defaults and validates. Throws `InvalidOptionError` (a `TypeError`) naming the bad option. */
export function resolveOptions<V, In>(options: ClientOptions<V, In>): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', options, 'an object with at least `servers`');
  }
  rejectUnknownOptions(options, OPTION_NAMES);
  const servers = parseServers(options.servers);
  const distribution = options.distribution ?? 'ketama';
  if (!DISTRIBUTIONS.includes(distribution)) {
    throw new InvalidOptionError('distribution', distribution, DISTRIBUTIONS.map((d) => `'${d}'`).join(', '));
  }
  const protocol = resolveProtocol(options.protocol);
  const keyPrefix = resolveKeyPrefix(options.keyPrefix);
  const tls = resolveTls(options.tls);
  const codec = resolveCodec(options.codec);
  const timeoutMs = duration('timeoutMs', options.timeoutMs, DEFAULTS.timeoutMs);
  const connectTimeoutMs = duration('connectTimeoutMs', options.connectTimeoutMs, 2 * timeoutMs);
  // A reconnect probe's deadline is their sum: past Node's timer limit it fired after 1 ms, every
  // probe failed and the client never healed (issue 11 #4).
  if (connectTimeoutMs + timeoutMs > MAX_TIMER_MS) {
    const given = options.connectTimeoutMs !== undefined;
    throw new InvalidOptionError(
      given ? 'connectTimeoutMs' : 'timeoutMs',
      given ? connectTimeoutMs : timeoutMs,
      given
        ? `a number with connectTimeoutMs + timeoutMs <= ${MAX_TIMER_MS} ms (a probe's deadline)`
        : `at most ${Math.floor(MAX_TIMER_MS / 3)} ms with the default connectTimeoutMs (2 * timeoutMs; a probe waits both)`,
    );
  }
  const allowed = options.allowedFailuresBeforeHealing ?? DEFAULTS.allowedFailuresBeforeHealing;
  if (!Number.isInteger(allowed) || allowed < 1) {
    throw new InvalidOptionError('allowedFailuresBeforeHealing', allowed, 'a whole number >= 1');
  }
  const recoveryDelayMs = duration('recoveryDelayMs', options.recoveryDelayMs, DEFAULTS.recoveryDelayMs);
  const maxRecoveryDelayMs = duration(
    'maxRecoveryDelayMs',
    options.maxRecoveryDelayMs,
    Math.max(DEFAULTS.maxRecoveryDelayMs, recoveryDelayMs),
  );
  if (maxRecoveryDelayMs < recoveryDelayMs) {
    throw new InvalidOptionError(
      'maxRecoveryDelayMs',
      maxRecoveryDelayMs,
      `a number >= recoveryDelayMs (${recoveryDelayMs})`,
    );
  }
  // The wait is random in [d, 2d), so 2 * max must still fit a timer.
  if (2 * maxRecoveryDelayMs > MAX_TIMER_MS) {
    throw new InvalidOptionError(
      'maxRecoveryDelayMs',
      maxRecoveryDelayMs,
      `at most ${Math.floor(MAX_TIMER_MS / 2)} ms`,
    );
  }
  const maxValueBytes = options.maxValueBytes ?? DEFAULTS.maxValueBytes;
  // A response's body length is a 32-bit field: a bound at or above 2^32 bounds nothing.
  if (!Number.isInteger(maxValueBytes) || maxValueBytes < 1 || maxValueBytes >= 2 ** 32) {
    throw new InvalidOptionError('maxValueBytes', maxValueBytes, 'a whole number of bytes >= 1 and < 2^32');
  }
  const logger = options.logger ?? silentLogger;
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    if (typeof logger?.[level] !== 'function') {
      throw new InvalidOptionError('logger', logger, 'an object with error, warn, info and debug methods');
    }
  }
  const inspect = options.inspect;
  if (inspect !== undefined && typeof inspect !== 'function' && (inspect === null || typeof inspect !== 'object')) {
    throw new InvalidOptionError('inspect', inspect, 'an inspection observer or function');
  }
  const clock = options.clock ?? systemClock;
  if (
    typeof clock?.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new InvalidOptionError('clock', clock, 'an object with now, setTimeout and clearTimeout');
  }
  return {
    servers,
    distribution,
    protocol,
    keyPrefix,
    tls,
    codec,
    timeoutMs,
    connectTimeoutMs,
    probeTimeoutMs: connectTimeoutMs + timeoutMs,
    allowedFailuresBeforeHealing: allowed,
    recoveryDelayMs,
    maxRecoveryDelayMs,
    maxValueBytes,
    logger,
    inspect,
    clock,
  };
}

function resolveCodec(codec: unknown): Codec<unknown, unknown> | undefined {
  if (codec === undefined || codec === rawCodec) return undefined;
  const { encode, decode } = (codec ?? {}) as Partial<Codec<unknown, unknown>>;
  if (typeof encode !== 'function' || typeof decode !== 'function') {
    throw new InvalidOptionError('codec', codec, 'an object with encode(value) and decode(bytes, flags) methods');
  }
  return codec as Codec<unknown, unknown>;
}

function duration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new InvalidOptionError(name, value, `a number of milliseconds > 0 and <= ${MAX_TIMER_MS}`);
  }
  return value;
}
