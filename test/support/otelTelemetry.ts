import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startOpenTelemetry } from '../../src/otel';

/**
 * The instrumentation started with in-memory exporters of spans and metrics (`temporality` for the
 * metrics); its shutdown is pushed onto `cleanup`. `metrics()` collects what was recorded since the last call.
 */
export function telemetry(cleanup: Array<() => unknown>, temporality = AggregationTemporality.CUMULATIVE) {
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

/** The data points of `metric` (none when it was not recorded). */
export const pointsOf = (metric: MetricData | undefined) => (metric?.dataPoints ?? []) as DataPoint<unknown>[];
