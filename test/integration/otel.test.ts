import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Context,
  type ContextManager,
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { tracingCommands } from '../../src/core/channels';
import { startOpenTelemetry } from '../../src/otel';
import { startMemcached } from '../../src/testing/memcached';
import { proxiedClient } from '../support/proxiedClient';
import { untilStopped } from '../support/untilStopped';
import { waitForState } from '../support/waitForState';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

/** The context manager an application's OpenTelemetry SDK would install, on AsyncLocalStorage. */
class TestContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active = (): Context => this.#storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

function telemetry(temporality = AggregationTemporality.CUMULATIVE) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(temporality);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = startOpenTelemetry({ tracerProvider, meterProvider });
  cleanup.push(
    () => meterProvider.shutdown(),
    () => instrumentation.stop(),
  );
  return {
    spans,
    tracerProvider,
    instrumentation,
    async metrics(): Promise<Map<string, MetricData>> {
      await reader.forceFlush();
      const all =
        metricExporter
          .getMetrics()
          .at(-1)
          ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
      metricExporter.reset();
      return new Map(all.map((metric) => [metric.descriptor.name, metric]));
    },
  };
}

const pointsOf = (metric: MetricData | undefined) => (metric?.dataPoints ?? []) as DataPoint<unknown>[];
const valueWhere = (metric: MetricData | undefined, attributes: Record<string, unknown>) =>
  pointsOf(metric).find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))?.value;

describe('reconnecting-memcached/otel', () => {
  it('makes a CLIENT span per command with the database conventions, child of the caller’s span', async () => {
    context.setGlobalContextManager(new TestContextManager());
    cleanup.push(() => context.disable());
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const cache = createClient({ servers: [server.address] });
    cleanup.push(() => cache.close());
    const { spans, tracerProvider } = telemetry();
    const parent = tracerProvider.getTracer('app').startSpan('handle request');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await cache.set({ key: 'user:1', value: 'x' });
      await cache.get('user:1');
      await cache.getMulti(['user:1', 'user:2', 'user:3']);
    });
    parent.end();

    const finished = spans.getFinishedSpans().filter((s) => s.name !== 'handle request');
    expect(finished.map((s) => s.name)).toEqual([
      `set ${server.address}`,
      `get ${server.address}`,
      `getMulti ${server.address}`,
    ]);
    for (const span of finished) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toMatchObject({
        'db.system.name': 'memcached',
        'server.address': '127.0.0.1',
        'server.port': server.port,
      });
      expect(JSON.stringify(span.attributes)).not.toContain('user:');
    }
    expect(finished.map((s) => s.attributes['db.operation.name'])).toEqual(['set', 'get', 'getMulti']);
    expect(finished[2]?.attributes['db.operation.batch.size']).toBe(3);
    expect(finished[1]?.attributes['db.operation.batch.size']).toBeUndefined();
  });

  it('records durations, hits and misses, not-ok answers by reason, and each server’s connection state', async () => {
    const { proxy, cache } = await proxiedClient(cleanup);
    const { spans, metrics } = telemetry();
    const where = { 'server.address': '127.0.0.1', 'server.port': proxy.port };

    await cache.set({ key: 'a', value: '1' });
    await cache.get('a');
    await cache.get('b');
    await cache.getMulti(['a', 'b', 'c']);
    await proxy.blackHole();
    await cache.get('a');
    await proxy.kill();
    await cache.get('a');
    await waitForState(cache, 'reconnecting');
    await cache.get('a');

    const got = await metrics();
    const duration = got.get('db.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const getOk = valueWhere(duration, { ...where, 'db.operation.name': 'get', 'error.type': undefined }) as Histogram;
    expect(getOk.count).toBe(2);
    expect(getOk.buckets.boundaries).toEqual([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);
    const timedOut = valueWhere(duration, { 'db.operation.name': 'get', 'error.type': 'timeout' }) as Histogram;
    expect(timedOut.count).toBe(1);
    expect(timedOut.sum).toBeGreaterThanOrEqual(0.09);

    expect(valueWhere(got.get('reconnecting_memcached.client.hits'), { 'db.operation.name': 'get' })).toBe(1);
    expect(valueWhere(got.get('reconnecting_memcached.client.misses'), { 'db.operation.name': 'get' })).toBe(1);
    expect(valueWhere(got.get('reconnecting_memcached.client.hits'), { 'db.operation.name': 'getMulti' })).toBe(1);
    expect(valueWhere(got.get('reconnecting_memcached.client.misses'), { 'db.operation.name': 'getMulti' })).toBe(2);
    const notOk = got.get('reconnecting_memcached.client.not_ok');
    expect(valueWhere(notOk, { 'error.type': 'timeout' })).toBe(1);
    expect(valueWhere(notOk, { 'error.type': 'connection' })).toBe(1);
    expect(valueWhere(notOk, { 'error.type': 'reconnecting' })).toBe(1);

    const state = got.get('reconnecting_memcached.connection.state');
    const stateOf = (s: string) => valueWhere(state, { ...where, 'reconnecting_memcached.connection.state': s });
    expect([stateOf('connected'), stateOf('degraded'), stateOf('reconnecting'), stateOf('closed')]).toEqual([
      0, 0, 1, 0,
    ]);

    const failed = spans.getFinishedSpans().filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => s.attributes['error.type'])).toEqual(['timeout', 'connection', 'reconnecting']);
    expect(failed[0]?.events.map((e) => e.name)).toEqual(['exception']);
  });

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
      const { metrics } = telemetry(kind);
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
      const { metrics } = telemetry(kind);
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
      const { metrics } = telemetry(kind);
      await cache.get('k');
      expect(await statesOf(metrics, server.port)).toEqual([up]);
      await cache.close();
      expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'closed' });
      expect(await statesOf(metrics, server.port)).toEqual([zeros]);
      expect(await cache.get('k')).toMatchObject({ ok: false, reason: 'closed' });
      expect(await statesOf(metrics, server.port)).toEqual([gone]);
    });
  });

  it('stop() unsubscribes: the clients go back to publishing nothing', async () => {
    expect(tracingCommands()).toBe(false);
    const { instrumentation, spans } = telemetry();
    expect(tracingCommands()).toBe(true);
    instrumentation.stop();
    instrumentation.stop();
    expect(tracingCommands()).toBe(false);
    const cache = createClient({ servers: ['127.0.0.1:1'], timeoutMs: 50 });
    await cache.close();
    await cache.get('k');
    expect(spans.getFinishedSpans()).toEqual([]);
  });
});
