import { AggregationTemporality, type MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { startMemcached } from '../../src/testing/memcached';
import { pointsOf, telemetry } from '../support/otelTelemetry';
import { untilStopped } from '../support/untilStopped';
import { waitForState } from '../support/waitForState';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

describe('reconnecting-memcached/otel', () => {
  // sdk-metrics 2.x keeps exporting, with cumulative temporality, an attribute set no callback
  // observes any more (with its last value); with delta it drops it, as the specification asks.
  describe.each([
    ['cumulative', AggregationTemporality.CUMULATIVE],
    ['delta', AggregationTemporality.DELTA],
  ])('the state gauge, %s', (temporality, kind) => {
    /** The state gauge's values for the server on `port`, by state (empty: not reported). */
    async function statesOf(metrics: () => Promise<Map<string, MetricData>>, ...ports: number[]) {
      const gauge = (await metrics()).get('reconnecting_memcached.connection.state');
      return ports.map((port) =>
        Object.fromEntries(
          pointsOf(gauge)
            .filter((p) => p.attributes['server.port'] === port)
            .map((p) => [p.attributes['reconnecting_memcached.connection.state'], p.value]),
        ),
      );
    }
    const up = { connected: 1, degraded: 0, reconnecting: 0, closed: 0 };
    const zeros = { connected: 0, degraded: 0, reconnecting: 0, closed: 0 };
    // What a server no longer in use is reported as, after its last observation.
    const gone = temporality === 'cumulative' ? zeros : {};

    it('a server removed from the pool stops being reported; the kept one stays', async () => {
      const [kept, removed] = await Promise.all([startMemcached(), startMemcached()]);
      cleanup.push(
        () => kept.stop(),
        () => removed.stop(),
      );
      const cache = createClient({ servers: [kept.address, removed.address] });
      cleanup.push(() => cache.close());
      const { metrics } = telemetry(cleanup, kind);
      await cache.ping(); // a command to each server: both are in the gauge
      expect(await statesOf(metrics, kept.port, removed.port)).toEqual([up, up]);

      cache.setServers([kept.address]);
      await cache.ping();
      await cache.set({ key: 'k', value: 'v' });
      // Its last observation: 0 in every state.
      expect(await statesOf(metrics, kept.port, removed.port)).toEqual([up, zeros]);
      await cache.ping();
      expect(await statesOf(metrics, kept.port, removed.port)).toEqual([up, gone]);
    });

    /** The state gauge's values for the server on `port`, by client (`db.client.connection.pool.name`), then by state. */
    async function statesByClient(metrics: () => Promise<Map<string, MetricData>>, port: number) {
      const byClient: Record<string, Record<string, unknown>> = {};
      const gauge = (await metrics()).get('reconnecting_memcached.connection.state');
      for (const p of pointsOf(gauge).filter((point) => point.attributes['server.port'] === port)) {
        const client = String(p.attributes['db.client.connection.pool.name']);
        byClient[client] ??= {};
        (byClient[client] as Record<string, unknown>)[String(p.attributes['reconnecting_memcached.connection.state'])] =
          p.value;
      }
      return byClient;
    }

    it('two clients on one server are two series: one degraded, then closed, leaves the other connected', async () => {
      const server = await startMemcached();
      cleanup.push(() => server.stop());
      const named = createClient({ servers: [server.address], name: 'checkout' });
      const unnamed = createClient({ servers: [server.address] });
      cleanup.push(
        () => unnamed.close(),
        () => named.close(),
      );
      const { metrics } = telemetry(cleanup, kind);
      await Promise.all([named.ping(), unnamed.ping()]);
      const first = await statesByClient(metrics, server.port);
      // The unnamed client gets a name unique in this process.
      const other = Object.keys(first).find((client) => client !== 'checkout') ?? '';
      expect(other).toMatch(/^reconnecting-memcached-\d+$/);
      expect(first).toEqual({ checkout: up, [other]: up });

      // Frozen, memcached answers nobody; only the named client calls it, so only its connection fails.
      server.process.kill('SIGSTOP');
      cleanup.push(() => server.process.kill('SIGCONT'));
      await untilStopped(server.process.pid as number);
      expect(await named.get('k')).toMatchObject({ ok: false, reason: 'timeout' });
      await waitForState(named, 'degraded');
      expect(unnamed.state).toBe('connected');
      const degraded = { connected: 0, degraded: 1, reconnecting: 0, closed: 0 };
      expect(await statesByClient(metrics, server.port)).toEqual({ checkout: degraded, [other]: up });

      server.process.kill('SIGCONT');
      await named.close();
      // The closed client's connection leaves the gauge; the other client still uses the server.
      expect(await statesByClient(metrics, server.port)).toEqual({ checkout: zeros, [other]: up });
      const after = await statesByClient(metrics, server.port);
      expect(after).toEqual(temporality === 'cumulative' ? { checkout: zeros, [other]: up } : { [other]: up });
      expect(await unnamed.get('k')).toMatchObject({ ok: true });
    });

    it('a closed client’s servers stop being reported, and a call after close does not bring them back', async () => {
      const server = await startMemcached();
      cleanup.push(() => server.stop());
      const cache = createClient({ servers: [server.address] });
      const { metrics } = telemetry(cleanup, kind);
      await cache.get('k');
      expect(await statesOf(metrics, server.port)).toEqual([up]);
      await cache.close();
      expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'closed' });
      expect(await statesOf(metrics, server.port)).toEqual([zeros]);
      expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'closed' });
      expect(await statesOf(metrics, server.port)).toEqual([gone]);
    });
  });
});
