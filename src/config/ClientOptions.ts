import type { InspectionEvent, Observer } from 'xstate';
import type { Codec, DefaultInput } from '../codec/Codec';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { DistributionName } from '../distribution/Distribution';
import type { DiscoveryOptions } from './DiscoveryOptions';
import type { ServerList } from './parseServers';
import type { Protocol } from './protocol';
import type { TlsOptions } from './tls';

/**
 * Options of `createClient`. `servers` is required, unless `discovery` finds them. `V` and `In`
 * are the value types of the `codec`: what reads answer and what writes take.
 */
export type ClientOptions<V = Buffer, In = DefaultInput<V>> = CommonClientOptions<V, In> &
  (
    | {
        /**
         * The memcached servers: an array, or one comma-separated string, of `host[:port]`,
         * `[ipv6]:port` or `user:pass@host:port` (SASL PLAIN). Port defaults to 11211. An array entry
         * may be `{ address, weight }` to give a server a larger share of the keys. Each server has its
         * own connection and heals on its own; see `distribution` for which server owns a key. With
         * `discovery`, the list to start with.
         */
        readonly servers: ServerList;
        readonly discovery?: DiscoveryOptions;
      }
    | {
        /** With `discovery`: the list to start with. Without it, calls answer not-ok until the first list. */
        readonly servers?: ServerList;
        /**
         * Where the server list comes from, polled now and then (docs/discovery.md): an ElastiCache
         * configuration endpoint (`{ elasticache: 'host:port' }`), a name's A and AAAA records
         * (`{ dns: 'name:port' }`) or SRV records (`{ srv: '_service._proto.name' }`). A changed list
         * is applied with `setServers`: kept servers keep their connections.
         * @default none: the `servers` given are the list
         */
        readonly discovery: DiscoveryOptions;
      }
  );

/** The options of `ClientOptions` other than `servers` and `discovery`. */
export interface CommonClientOptions<V = Buffer, In = DefaultInput<V>> {
  /**
   * This client's name in telemetry: the `client` of its `diagnostics_channel` events, and the
   * `db.client.connection.pool.name` of its connections in the OpenTelemetry state gauge, which
   * keeps each client's connection to a server apart from another client's. Give every client of
   * a process its own name (OpenTelemetry's conventions ask for a pool name unique in the
   * application): two clients with one name share their series again.
   * @default `reconnecting-memcached-N`, N counting this process's clients made without a name
   */
  readonly name?: string;
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
   * - `'text'`: memcached's classic text commands (get, set, incr, ...), the protocol proxies such as
   *   twemproxy and mcrouter speak (docs/proxies.md); credentials go to the auth file (`-Y`), as
   *   with meta. `fetch` shares one load within the process, as with binary.
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
   * The time source for deadlines and reconnect delays, and for whether an absolute expiration is
   * already past (the system time when the client is made, moved on by this clock). Pass XState's
   * `SimulatedClock` in tests to move time by hand.
   * @default the system clock, with unref'd timers
   */
  readonly clock?: Clock;
}
