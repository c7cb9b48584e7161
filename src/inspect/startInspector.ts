import type { AnyActorRef } from 'xstate';
import type { Client } from '../api/Client';
import { InspectorUnavailableError, InvalidOptionError } from '../core/errors';
import { InspectorRelay } from './InspectorRelay';
import { serializeFrame } from './serializeFrame';

/** Options of `startInspector`. */
export interface InspectorOptions {
  /**
   * The port on 127.0.0.1 to serve the inspector page and WebSocket on. 0 lets the OS pick a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Where the inspector's URL is printed when it starts (e.g. `console.log`); `false` or absent prints
   * nothing: a library stays silent unless asked. The URL is also in the returned `url`.
   * @default false
   */
  readonly print?: ((line: string) => void) | false;
  /**
   * More strings to scrub from every frame, e.g. a token your own code puts in an event. Server
   * passwords in `user:pass@host` form and properties named like `password` or `token` are always scrubbed.
   * @default []
   */
  readonly redact?: readonly string[];
  /**
   * Frames kept for pages that connect later (the oldest are dropped).
   * @default 1000
   */
  readonly bufferSize?: number;
}

/** A running inspector. */
export interface RunningInspector {
  /** The page to open in a browser: the Stately inspector fed by this process. */
  readonly url: string;
  /** The WebSocket that streams the frames (`@xstate.actor`, `@xstate.event`, `@xstate.snapshot`). */
  readonly webSocketUrl: string;
  /** Detaches from the client and closes the listener, every socket, and every timer. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Streams the client's actors (the pool, each server's connection machine and its reconnect probes)
 * to the Stately inspector, through a relay on 127.0.0.1 only. Needs the optional peer dependencies
 * `@statelyai/inspect` and `ws`, loaded here and only here so the main entry never does.
 *
 * Attaching costs every machine event a serialization (about 10x an unobserved send): use it to
 * watch, not in production.
 *
 * @throws InspectorUnavailableError when a peer dependency is missing.
 * @throws InvalidOptionError for a bad option; a Node error (e.g. EADDRINUSE) when the port is taken.
 */
export async function startInspector(cache: Client, options: InspectorOptions = {}): Promise<RunningInspector> {
  const actor = cache?.actor;
  if (actor === undefined || typeof actor.system?.inspect !== 'function') {
    throw new InvalidOptionError('cache', cache, 'a client made by createClient');
  }
  const settings = resolveInspectorOptions(options);
  let inspectModule: typeof import('@statelyai/inspect');
  let wsModule: typeof import('ws');
  try {
    [inspectModule, wsModule] = await Promise.all([import('@statelyai/inspect'), import('ws')]);
  } catch (err) {
    throw new InspectorUnavailableError(err);
  }
  const relay = await InspectorRelay.start(wsModule.WebSocketServer, settings);
  let attached = true;
  const inspector = inspectModule.createInspector({
    send: (frame) => {
      // The inspector converts events on a zero-delay timer: some arrive after stop().
      if (attached) relay.publish(serializeFrame(frame, settings.redact));
    },
  });
  // The client's actors are already running, so the system will not announce them: do it here, with
  // their definitions: the pool, each server's connection actor, and a probe that may be in flight.
  announce(inspector, actor);
  const subscription = actor.system.inspect(inspector.inspect);
  if (settings.print)
    settings.print(`reconnecting-memcached inspector: open ${relay.url} (frames on ${relay.webSocketUrl})`);
  let stopped: Promise<void> | undefined;
  return {
    url: relay.url,
    webSocketUrl: relay.webSocketUrl,
    stop() {
      if (!stopped) {
        attached = false;
        subscription.unsubscribe();
        inspector.stop();
        stopped = relay.stop();
      }
      return stopped;
    },
  };
}

type StatelyInspector = ReturnType<typeof import('@statelyai/inspect').createInspector>;

function announce(inspector: StatelyInspector, actorRef: AnyActorRef): void {
  inspector.actor(actorRef, actorRef.getSnapshot());
  for (const child of Object.values(actorRef.getSnapshot().children ?? {}) as AnyActorRef[]) announce(inspector, child);
}

interface ResolvedInspectorOptions {
  readonly port: number;
  readonly print: ((line: string) => void) | false;
  readonly redact: readonly string[];
  readonly bufferSize: number;
}

function resolveInspectorOptions(options: InspectorOptions): ResolvedInspectorOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', options, 'an object');
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError('port', port, 'a whole number in 0..65535');
  }
  const print = options.print ?? false;
  if (print !== false && typeof print !== 'function') {
    throw new InvalidOptionError('print', print, 'a function or false');
  }
  const redact = options.redact ?? [];
  if (!Array.isArray(redact) || redact.some((secret) => typeof secret !== 'string')) {
    // Never echo the value: it holds secrets.
    throw new InvalidOptionError('redact', '[hidden]', 'an array of strings');
  }
  const bufferSize = options.bufferSize ?? 1000;
  if (!Number.isInteger(bufferSize) || bufferSize < 0) {
    throw new InvalidOptionError('bufferSize', bufferSize, 'a whole number >= 0');
  }
  return { port, print, redact, bufferSize };
}
