// The `reconnecting-memcached/otel` entry: kept apart so the main entry never loads the optional
// peer dependency `@opentelemetry/api`.
export type { OpenTelemetryInstrumentation, OpenTelemetryOptions } from './startOpenTelemetry';
export { startOpenTelemetry } from './startOpenTelemetry';
