import {
  type Attributes,
  type Counter,
  context,
  type Histogram,
  type Meter,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import type { CommandContext } from '../core/channels';
import { DB_SYSTEM, serverAttributes } from './serverAttributes';

// The bucket boundaries OpenTelemetry's database conventions ask for, in seconds.
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

interface InFlight {
  readonly span: Span;
  readonly started: number;
  readonly attributes: Attributes;
}

/**
 * One span per command (`{command} {server}`, kind CLIENT, child of the caller's active span), and
 * the metrics recorded when it settles: `db.client.operation.duration`, hits and misses of reads,
 * and not-ok answers by reason.
 */
export class CommandTelemetry {
  readonly #tracer: Tracer;
  readonly #duration: Histogram;
  readonly #hits: Counter;
  readonly #misses: Counter;
  readonly #notOk: Counter;
  readonly #inFlight = new WeakMap<CommandContext, InFlight>();
  readonly #servers = new Map<string, Attributes>();

  constructor(tracer: Tracer, meter: Meter) {
    this.#tracer = tracer;
    this.#duration = meter.createHistogram('db.client.operation.duration', {
      description: 'Duration of database client operations.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.#hits = meter.createCounter('reconnecting_memcached.client.hits', {
      description: 'Keys found by reads (get, getMulti, ...).',
      unit: '{key}',
    });
    this.#misses = meter.createCounter('reconnecting_memcached.client.misses', {
      description: 'Keys not found by reads that memcached answered.',
      unit: '{key}',
    });
    this.#notOk = meter.createCounter('reconnecting_memcached.client.not_ok', {
      description: 'Commands that answered not-ok, by reason (error.type).',
      unit: '{command}',
    });
  }

  start(command: CommandContext): void {
    const attributes: Attributes = {
      'db.system.name': DB_SYSTEM,
      'db.operation.name': command.command,
      ...this.#serverAttributes(command.server),
    };
    const spanAttributes: Attributes =
      command.keyCount >= 2 ? { ...attributes, 'db.operation.batch.size': command.keyCount } : attributes;
    const span = this.#tracer.startSpan(
      `${command.command} ${command.server}`,
      { kind: SpanKind.CLIENT, attributes: spanAttributes },
      context.active(),
    );
    this.#inFlight.set(command, { span, started: performance.now(), attributes });
  }

  settled(command: CommandContext): void {
    const inFlight = this.#inFlight.get(command);
    if (!inFlight) return;
    this.#inFlight.delete(command);
    const { span, attributes } = inFlight;
    const seconds = (performance.now() - inFlight.started) / 1000;
    const outcome = command.outcome ?? (command.error ? 'error' : 'ok');
    if (outcome === 'ok') {
      this.#duration.record(seconds, attributes);
      if (command.hits !== undefined) {
        this.#hits.add(command.hits, attributes);
        this.#misses.add(command.keyCount - command.hits, attributes);
      }
    } else {
      const failed = { ...attributes, 'error.type': outcome };
      span.setAttribute('error.type', outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: command.error?.message ?? outcome });
      if (command.error) span.recordException(command.error);
      this.#duration.record(seconds, failed);
      this.#notOk.add(1, failed);
    }
    span.end();
  }

  #serverAttributes(server: string): Attributes {
    let attributes = this.#servers.get(server);
    if (!attributes) {
      attributes = serverAttributes(server);
      this.#servers.set(server, attributes);
    }
    return attributes;
  }
}
