import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COMMAND_CHANNEL,
  type CommandContext,
  commandChannel,
  traceCall,
  traceCommand,
  tracingCommands,
} from '../../../src/core/channels';

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length > 0) cleanup.pop()?.();
});

function record(): string[] {
  const events: string[] = [];
  for (const event of ['start', 'end', 'asyncStart', 'asyncEnd', 'error']) {
    const name = `tracing:${COMMAND_CHANNEL}:${event}`;
    const handler = (message: unknown) => {
      const context = message as CommandContext;
      events.push(`${event}:${context.outcome ?? '-'}`);
    };
    diagnosticsChannel.subscribe(name, handler);
    cleanup.push(() => diagnosticsChannel.unsubscribe(name, handler));
  }
  return events;
}

const context = (): CommandContext => ({ client: 'c', command: 'get', server: 'h:1', keyCount: 1 });

describe('channels', () => {
  it('tracingCommands is true exactly while something subscribes to one of the five events', () => {
    expect(tracingCommands()).toBe(false);
    const handler = () => {};
    diagnosticsChannel.subscribe(`tracing:${COMMAND_CHANNEL}:error`, handler);
    expect(tracingCommands()).toBe(true);
    diagnosticsChannel.unsubscribe(`tracing:${COMMAND_CHANNEL}:error`, handler);
    expect(tracingCommands()).toBe(false);
  });

  it('publishes a rejection as error, and a synchronous throw as error then end', async () => {
    const events = record();
    await expect(traceCommand(context(), () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(events).toEqual(['start:-', 'end:-', 'error:-', 'asyncStart:-', 'asyncEnd:-']);
    events.length = 0;
    expect(() =>
      traceCommand(context(), () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    expect(events).toEqual(['start:-', 'error:-', 'end:-']);
  });

  it('traceCall records the outcome before the answer is delivered, including a not-ok the answer mapper makes', async () => {
    const events = record();
    const kind = { name: 'get', hits: (value: string | undefined) => (value === undefined ? 0 : 1) };
    const decoded = await traceCall(
      kind,
      'c',
      'h:1',
      1,
      () => ({ ok: false, reason: 'decode', error: new Error('bad bytes') }),
      (notOk) => notOk,
      (onOk) => Promise.resolve('raw').then((raw) => onOk(raw, undefined)),
    );
    expect(decoded).toMatchObject({ ok: false, reason: 'decode' });
    expect(events).toEqual(['start:-', 'end:-', 'error:decode', 'asyncStart:decode', 'asyncEnd:decode']);
  });

  it('binds subscribers’ stores around the call, as tracePromise does', async () => {
    const store = new AsyncLocalStorage<string>();
    commandChannel.start.bindStore(store, (message) => `span of ${(message as CommandContext).command}`);
    cleanup.push(() => commandChannel.start.unbindStore(store));
    let seen: string | undefined;
    await traceCommand(context(), async () => {
      seen = store.getStore();
    });
    expect(seen).toBe('span of get');
    expect(store.getStore()).toBeUndefined();
  });
});
