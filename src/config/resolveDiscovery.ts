import { didYouMean } from '../core/closestName';
import { InvalidOptionError, VALUE_NOT_SHOWN } from '../core/errors';
import type { DiscoveryResolver } from './DiscoveryOptions';
import { parseServers } from './parseServers';

/** The `discovery` option after defaults and validation. */
export type ResolvedDiscovery =
  | { readonly kind: 'elasticache'; readonly host: string; readonly port: number; readonly intervalMs: number }
  | {
      readonly kind: 'dns';
      readonly name: string;
      readonly port: number;
      readonly intervalMs: number;
      readonly resolver: DiscoveryResolver | undefined;
    }
  | {
      readonly kind: 'srv';
      readonly name: string;
      readonly intervalMs: number;
      readonly resolver: DiscoveryResolver | undefined;
    };

export const DISCOVERY_DEFAULTS = { elasticacheIntervalMs: 60_000, dnsIntervalMs: 30_000 } as const;

const KINDS = ['elasticache', 'dns', 'srv'] as const;
const KNOWN = [...KINDS, 'intervalMs', 'resolver'];
const SRV_NAME = /^_[^.\s]+\._[^.\s]+\.[^\s]+$/;
const RESOLVER_METHODS = { dns: ['resolve4', 'resolve6'], srv: ['resolveSrv'] } as const;

/** Validates the `discovery` option (a copy of it: it is read once). undefined: no discovery. */
export function resolveDiscovery(given: unknown, maxTimerMs: number): ResolvedDiscovery | undefined {
  if (given === undefined) return undefined;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new InvalidOptionError('discovery', given, 'an object with one of elasticache, dns or srv');
  }
  const options = { ...(given as Record<string, unknown>) };
  for (const name of Object.keys(options)) {
    if (KNOWN.includes(name)) continue;
    throw new InvalidOptionError(`discovery.${name}`, VALUE_NOT_SHOWN, didYouMean(name, KNOWN, undefined, 'field'));
  }
  const kinds = KINDS.filter((kind) => options[kind] !== undefined);
  if (kinds.length !== 1) {
    const which = kinds.length === 0 ? 'none' : kinds.join(' and ');
    throw new InvalidOptionError('discovery', which, 'exactly one of elasticache, dns or srv');
  }
  const kind = kinds[0] as (typeof KINDS)[number];
  const fallback = kind === 'elasticache' ? DISCOVERY_DEFAULTS.elasticacheIntervalMs : DISCOVERY_DEFAULTS.dnsIntervalMs;
  const intervalMs = options.intervalMs ?? fallback;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs <= 0 || intervalMs > maxTimerMs) {
    throw new InvalidOptionError(
      'discovery.intervalMs',
      intervalMs,
      `a number of milliseconds > 0 and <= ${maxTimerMs}`,
    );
  }
  const source = options[kind];
  if (kind === 'elasticache') {
    if (options.resolver !== undefined) {
      throw new InvalidOptionError(
        'discovery.resolver',
        options.resolver,
        'no resolver with elasticache (dns or srv only)',
      );
    }
    return { kind, ...hostAndPort('discovery.elasticache', source), intervalMs };
  }
  const resolver = resolveResolver(options.resolver, RESOLVER_METHODS[kind]);
  if (kind === 'dns') {
    const { host, port } = hostAndPort('discovery.dns', source);
    return { kind, name: host, port, intervalMs, resolver };
  }
  if (typeof source !== 'string' || !SRV_NAME.test(source)) {
    throw new InvalidOptionError(
      'discovery.srv',
      source,
      'a name "_service._proto.name", e.g. "_memcache._tcp.cache.local"',
    );
  }
  return { kind, name: source, intervalMs, resolver };
}

function hostAndPort(field: string, value: unknown): { host: string; port: number } {
  const expected = 'a "host:port" string (port 11211 when left out)';
  if (typeof value !== 'string' || value.includes('@') || value.includes(',')) {
    throw new InvalidOptionError(
      field,
      typeof value === 'string' && value.includes('@') ? VALUE_NOT_SHOWN : value,
      expected,
    );
  }
  try {
    const [address] = parseServers([value]);
    if (address === undefined || address.path !== undefined) throw new TypeError('not host:port');
    return { host: address.host, port: address.port };
  } catch {
    throw new InvalidOptionError(field, value, expected);
  }
}

function resolveResolver(resolver: unknown, methods: readonly string[]): DiscoveryResolver | undefined {
  if (resolver === undefined) return undefined;
  const shaped =
    resolver !== null &&
    typeof resolver === 'object' &&
    methods.every((method) => typeof (resolver as Record<string, unknown>)[method] === 'function');
  if (!shaped) {
    throw new InvalidOptionError(
      'discovery.resolver',
      resolver,
      `an object shaped like node:dns/promises' Resolver, with ${methods.join(' and ')}`,
    );
  }
  return resolver as DiscoveryResolver;
}
