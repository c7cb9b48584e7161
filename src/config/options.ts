import type { Codec } from '../codec/Codec';
import { rawCodec } from '../codec/rawCodec';
import type { Clock } from '../core/clock';
import { systemClock, unixSecondsOf } from '../core/clock';
import { InvalidOptionError } from '../core/errors';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { DISTRIBUTIONS, type DistributionName } from '../distribution/Distribution';
import type { ClientOptions } from './ClientOptions';
import { resolveClientName } from './clientName';
import { resolveKeyPrefix } from './keyPrefix';
import { rejectUnknownOptions } from './knownOptions';
import type { ServerAddress } from './parseServers';
import { parseServers } from './parseServers';
import { type Protocol, resolveProtocol } from './protocol';
import { type ResolvedDiscovery, resolveDiscovery } from './resolveDiscovery';
import { type ResolvedTls, resolveTls } from './tls';

export type { ClientOptions } from './ClientOptions';

/** Options after defaults and validation. */
export interface ResolvedOptions {
  /** The client's name in telemetry: given, or unique in this process. */
  readonly name: string;
  /** The list to start with: empty only with `discovery` and no `servers`. */
  readonly servers: readonly ServerAddress[];
  /** undefined: the servers are the `servers` given. */
  readonly discovery: ResolvedDiscovery | undefined;
  /** A discovery poll's deadline, ms: the probe's, or 2 s if that is shorter (DNS may retry once). */
  readonly pollTimeoutMs: number;
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
  /** Unix time in seconds by `clock`: what an absolute expiration is checked against. */
  readonly unixSeconds: () => number;
}

// Every option, as a record so that an option added to ClientOptions but not here (or listed here
// but not one) fails the type check: an option missing here would be rejected as unknown.
const KNOWN_OPTIONS: { readonly [K in keyof Required<ClientOptions>]: true } = {
  servers: true,
  discovery: true,
  name: true,
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

/** The shortest deadline of a discovery poll, ms. */
export const MIN_POLL_TIMEOUT_MS = 2_000;

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
  const discovery = resolveDiscovery(options.discovery, MAX_TIMER_MS);
  // With discovery, no servers is a start: calls answer not-ok until the first list.
  const servers = discovery !== undefined && options.servers === undefined ? [] : parseServers(options.servers);
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
  // A reconnect probe's deadline is their sum: past Node's timer limit a timer fires at once, so
  // every probe would fail and the client would never heal.
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
  // Last: a client that fails validation does not use up a default name's number.
  const name = resolveClientName(options.name);
  return {
    name,
    servers,
    discovery,
    pollTimeoutMs: Math.max(connectTimeoutMs + timeoutMs, MIN_POLL_TIMEOUT_MS),
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
    unixSeconds: unixSecondsOf(clock),
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
