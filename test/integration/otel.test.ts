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
import type { Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { tracingCommands } from '../../src/core/channels';
import { startMemcached } from '../../src/testing/memcached';
import { pointsOf, telemetry } from '../support/otelTelemetry';
import { proxiedClient } from '../support/proxiedClient';
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
    const { spans, tracerProvider } = telemetry(cleanup);
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
    const { spans, metrics } = telemetry(cleanup);
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

  it('stop() unsubscribes: the clients go back to publishing nothing', async () => {
    expect(tracingCommands()).toBe(false);
    const { instrumentation, spans } = telemetry(cleanup);
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
