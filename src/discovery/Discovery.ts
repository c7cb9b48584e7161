import { promises as systemDns } from 'node:dns';
import { type Actor, createActor, fromPromise } from 'xstate';
import {
  type DiscoveredServer,
  type DiscoveryEmitted,
  type DiscoveryMachine,
  type DiscoveryReply,
  discoveryMachine,
  discoverySchedulesWith,
} from '../../machines/discoveryMachine';
import type { ResolvedOptions } from '../config/options';
import type { ResolvedDiscovery } from '../config/resolveDiscovery';
import { publishDiscovery } from '../core/channels';
import { parseClusterConfig } from './parseClusterConfig';
import { queryConfigEndpoint } from './queryConfigEndpoint';
import { resolveAddresses, resolveSrvServers } from './resolveServers';

/** Makes `servers` the client's list (its `setServers`). */
export type ApplyServers = (servers: readonly DiscoveredServer[]) => void;

/**
 * Keeps a client's server list in step with a source: runs the discovery machine with the
 * source's poll injected, applies each list it reports through `apply` (the client's
 * `setServers`), and logs and publishes what it reports. Its timers are the client's clock's
 * (unref'd), and `stop()` leaves nothing pending.
 */
export class Discovery {
  readonly actor: Actor<DiscoveryMachine>;
  /** `elasticache host:port`, `dns name:port` or `srv name`: in logs and on the channel. */
  readonly source: string;

  constructor(options: ResolvedOptions & { discovery: ResolvedDiscovery }, apply: ApplyServers, random: () => number) {
    const { discovery, logger, name } = options;
    this.source = describeSource(discovery);
    const source = this.source;
    const poll = pollerOf(discovery);
    const machine = discoveryMachine.provide({
      actions: discoverySchedulesWith(random),
      actors: { poll: fromPromise<DiscoveryReply, { attempt: number }>(({ signal }) => poll(signal)) },
    });
    this.actor = createActor(machine, {
      clock: options.clock,
      inspect: options.inspect,
      input: {
        intervalMs: discovery.intervalMs,
        recoveryDelayMs: options.recoveryDelayMs,
        maxRecoveryDelayMs: options.maxRecoveryDelayMs,
        pollTimeoutMs: options.pollTimeoutMs,
        servers: options.servers.map((server) => ({ id: server.id, weight: server.weight })),
      },
    });
    this.actor.on('*', (event) => heard(event as DiscoveryEmitted, { client: name, source, logger, apply }));
  }

  start(): void {
    this.actor.start();
  }

  /** Stops polling: the poll in flight is aborted (its socket closed) and no timer stays. */
  stop(): void {
    if (this.actor.getSnapshot().status === 'active') this.actor.send({ type: 'STOP' });
    this.actor.stop();
  }
}

function pollerOf(discovery: ResolvedDiscovery): (signal: AbortSignal) => Promise<DiscoveryReply> {
  switch (discovery.kind) {
    case 'elasticache':
      return async (signal) => parseClusterConfig(await queryConfigEndpoint(discovery.host, discovery.port, signal));
    case 'dns':
      return () => resolveAddresses(discovery.resolver ?? systemDns, discovery.name, discovery.port);
    default:
      return () => resolveSrvServers(discovery.resolver ?? systemDns, discovery.name);
  }
}

function describeSource(discovery: ResolvedDiscovery): string {
  switch (discovery.kind) {
    case 'elasticache':
      return `elasticache ${discovery.host.includes(':') ? `[${discovery.host}]` : discovery.host}:${discovery.port}`;
    case 'dns':
      return `dns ${discovery.name}:${discovery.port}`;
    default:
      return `srv ${discovery.name}`;
  }
}

interface Hearer {
  readonly client: string;
  readonly source: string;
  readonly logger: ResolvedOptions['logger'];
  readonly apply: ApplyServers;
}

function heard(event: DiscoveryEmitted, { client, source, logger, apply }: Hearer): void {
  switch (event.type) {
    case 'applied': {
      const { version, servers, added, removed } = event;
      try {
        apply(servers);
      } catch (err) {
        logger.error(`reconnecting-memcached: applying the servers discovered from ${source} failed`, err);
        return;
      }
      const ids = servers.map((server) => server.id);
      publishDiscovery({ client, source, version, servers: ids, added, removed });
      const change = [
        added.length > 0 ? `added ${added.join(', ')}` : '',
        removed.length > 0 ? `removed ${removed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      logger.info(
        `memcached servers from ${source}${version === undefined ? '' : ` (version ${version})`}: ${ids.join(', ')}${change ? ` (${change})` : ''}`,
      );
      return;
    }
    case 'poll.failed':
      logger.warn(
        `memcached discovery from ${source} failed (${describeError(event.error)}); keeping the last server list`,
      );
      return;
    case 'reply.invalid':
      logger.warn(
        `memcached discovery from ${source} answered no server list (${event.reason}); keeping the last server list`,
      );
      return;
    case 'retry.scheduled':
      logger.debug(`memcached discovery from ${source}: retrying in ${event.delayMs} ms (failure ${event.attempt})`);
      return;
    default:
      return;
  }
}

function describeError(error: unknown): string {
  if (error === 'timeout') return 'no answer in time';
  return error instanceof Error ? error.message : String(error);
}
