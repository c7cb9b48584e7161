import diagnosticsChannel from 'node:diagnostics_channel';
import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import type { StateChange } from '../api/Client';
import { COMMAND_CHANNEL, type CommandContext, STATE_CHANNEL } from '../core/channels';
import { InvalidOptionError } from '../core/errors';
import { CommandTelemetry } from './CommandTelemetry';
import { ConnectionStates } from './ConnectionStates';

/** Options of `startOpenTelemetry`. */
export interface OpenTelemetryOptions {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  readonly tracerProvider?: TracerProvider;
  /** Where metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  readonly meterProvider?: MeterProvider;
}

/** The running instrumentation. */
export interface OpenTelemetryInstrumentation {
  /** Unsubscribes from the channels and stops the state gauge. Idempotent. */
  stop(): void;
}

const NAME = 'reconnecting-memcached';

/**
 * Turns every client's `diagnostics_channel` events, in this process, into OpenTelemetry spans and
 * metrics, following OpenTelemetry's database conventions for memcached (see docs/observability.md).
 * Needs the optional peer dependency `@opentelemetry/api`, loaded by this subpath only. Until it is
 * started, and after `stop()`, the clients publish nothing and pay nothing for it.
 */
export function startOpenTelemetry(options: OpenTelemetryOptions = {}): OpenTelemetryInstrumentation {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', options, 'an object');
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(NAME);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(NAME);
  const commands = new CommandTelemetry(tracer, meter);
  const states = new ConnectionStates(meter);
  const handlers: Record<string, (message: unknown) => void> = {
    [`tracing:${COMMAND_CHANNEL}:start`]: (message) => commands.start(message as CommandContext),
    [`tracing:${COMMAND_CHANNEL}:asyncEnd`]: (message) => {
      const command = message as CommandContext;
      // Seen when settled, not started: only then is the outcome known (`closed`: not a live server).
      states.settled(command.client, command.server, command.outcome);
      commands.settled(command);
    },
    [STATE_CHANNEL]: (message) => {
      const change = message as StateChange & { readonly client: string };
      states.changed(change.client, change.server, change.state);
    },
  };
  for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.subscribe(name, handler);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.unsubscribe(name, handler);
      states.stop();
    },
  };
}
