import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateChange } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { CommandContext } from '../../src/core/channels';
import { startMemcached } from '../../src/testing/memcached';
import { proxiedClient } from '../support/proxiedClient';
import { waitForState } from '../support/waitForState';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
type Event = (typeof EVENTS)[number];

/** Every event of the command channel, in order, with a copy of the context as it was then. */
function recordCommands(): Array<{ event: Event; context: CommandContext; same: CommandContext }> {
  const seen: Array<{ event: Event; context: CommandContext; same: CommandContext }> = [];
  for (const event of EVENTS) {
    const name = `tracing:reconnecting-memcached:command:${event}`;
    const handler = (message: unknown) => {
      const context = message as CommandContext;
      seen.push({ event, context: { ...context }, same: context });
    };
    diagnosticsChannel.subscribe(name, handler);
    cleanup.push(() => diagnosticsChannel.unsubscribe(name, handler));
  }
  return seen;
}

const eventsOf = (seen: ReturnType<typeof recordCommands>, command: CommandContext) =>
  seen.filter((s) => s.same === command).map((s) => s.event);

describe('tracing on diagnostics_channel', () => {
  it('publishes start, end, asyncStart, asyncEnd for every command kind, with its server, key count and outcome, never a key or value', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const cache = createClient({ servers: [server.address], name: 'orders' });
    cleanup.push(() => cache.close());
    const seen = recordCommands();
    await cache.set({ key: 'secret-key', value: 'secret-value' });
    await cache.get('secret-key');
    await cache.get('absent-key');
    const held = await cache.gets('secret-key');
    await cache.gat('secret-key', 0);
    await cache.touch('secret-key', 0);
    await cache.add({ key: 'secret-add', value: 'secret-value' });
    await cache.replace({ key: 'secret-add', value: 'secret-value' });
    await cache.append('secret-add', 'secret-tail');
    await cache.prepend('secret-add', 'secret-head');
    if (!held.ok || !held.item) throw new Error('gets found nothing');
    await cache.cas({ key: 'secret-key', value: 'secret-value', cas: held.item.cas });
    await cache.incr('secret-counter', 1, { initial: 5 });
    await cache.decr('secret-counter', 1);
    await cache.getMulti(['secret-key', 'absent-key', 'other-key']);
    await cache.setMulti([{ key: 'secret-m', value: 'secret-value' }]);
    await cache.deleteMulti(['secret-m', 'other-key']);
    await cache.delete('secret-key');
    await cache.stats();
    await cache.version();
    await cache.flush();
    await cache.ping();

    const commands = [...new Set(seen.map((s) => s.same))];
    const A = server.address;
    expect(commands.map((c) => [c.command, c.server, c.keyCount, c.outcome, c.hits])).toEqual([
      ['set', A, 1, 'ok', undefined],
      ['get', A, 1, 'ok', 1],
      ['get', A, 1, 'ok', 0],
      ['gets', A, 1, 'ok', 1],
      ['gat', A, 1, 'ok', 1],
      ['touch', A, 1, 'ok', undefined],
      ['add', A, 1, 'ok', undefined],
      ['replace', A, 1, 'ok', undefined],
      ['append', A, 1, 'ok', undefined],
      ['prepend', A, 1, 'ok', undefined],
      ['cas', A, 1, 'ok', undefined],
      ['incr', A, 1, 'ok', undefined],
      ['decr', A, 1, 'ok', undefined],
      ['getMulti', A, 3, 'ok', 1],
      ['setMulti', A, 1, 'ok', undefined],
      ['deleteMulti', A, 2, 'ok', undefined],
      ['delete', A, 1, 'ok', undefined],
      ['stats', A, 0, 'ok', undefined],
      ['version', A, 0, 'ok', undefined],
      ['flush', A, 0, 'ok', undefined],
      ['ping', A, 0, 'ok', undefined],
    ]);
    expect(new Set(commands.map((c) => c.client))).toEqual(new Set(['orders']));
    for (const command of commands) {
      expect(eventsOf(seen, command)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      // The outcome is set before the answer is delivered, never at start.
      expect(seen.find((s) => s.same === command && s.event === 'start')?.context.outcome).toBeUndefined();
      expect(seen.find((s) => s.same === command && s.event === 'asyncStart')?.context.outcome).toBe('ok');
    }
    const published = JSON.stringify(seen.map((s) => s.context));
    expect(published).not.toMatch(/secret|absent|other-key/);
  });

  it('publishes error for not-ok answers (timeout, connection) and the outcome for those without I/O', async () => {
    const { proxy, cache } = await proxiedClient(cleanup);
    const seen = recordCommands();
    await proxy.blackHole();
    expect((await cache.get('k')).ok).toBe(false);
    await proxy.kill();
    expect(await cache.set({ key: 'k', value: 'v' })).toBe(false);
    await waitForState(cache, 'reconnecting');
    expect((await cache.getMulti(['a', 'b'])).ok).toBe(false);
    await expect(cache.ping()).rejects.toThrow();

    const commands = [...new Set(seen.map((s) => s.same))];
    expect(commands.map((c) => [c.command, c.outcome, c.error?.name])).toEqual([
      ['get', 'timeout', 'TimeoutError'],
      ['set', 'connection', 'ConnectionError'],
      ['getMulti', 'reconnecting', undefined],
      ['ping', 'reconnecting', undefined],
    ]);
    expect(eventsOf(seen, commands[0] as CommandContext)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(eventsOf(seen, commands[1] as CommandContext)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(eventsOf(seen, commands[2] as CommandContext)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  });

  it('with several servers, a multi-key call is one command per server, each with its own key count', async () => {
    const a = await startMemcached();
    const b = await startMemcached();
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    const cache = createClient({ servers: [a.address, b.address] });
    cleanup.push(() => cache.close());
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    const seen = recordCommands();
    await cache.getMulti(keys);
    const commands = [...new Set(seen.map((s) => s.same))];
    expect(commands.map((c) => c.command)).toEqual(['getMulti', 'getMulti']);
    expect(new Set(commands.map((c) => c.server))).toEqual(new Set([a.address, b.address]));
    expect(commands.reduce((sum, c) => sum + c.keyCount, 0)).toBe(20);
  });

  it('publishes every state change on reconnecting-memcached:state', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const cache = createClient({
      servers: [server.address],
      name: 'sessions',
      timeoutMs: 100,
      allowedFailuresBeforeHealing: 1,
      recoveryDelayMs: 60_000,
    });
    const changes: StateChange[] = [];
    const onState = (message: unknown) => changes.push(message as StateChange);
    diagnosticsChannel.subscribe('reconnecting-memcached:state', onState);
    cleanup.push(() => diagnosticsChannel.unsubscribe('reconnecting-memcached:state', onState));
    const told: StateChange[] = [];
    cache.subscribe((change) => told.push(change));
    await server.stop();
    await cache.get('k');
    await waitForState(cache, 'reconnecting');
    await cache.close();
    expect(changes.map((c) => [c.server, c.previous, c.state])).toEqual([
      [server.address, 'connected', 'reconnecting'],
      [server.address, 'reconnecting', 'closed'],
    ]);
    // The channel's message is the listeners' change, with the client that saw it.
    expect(changes.slice(0, 1)).toEqual(told.slice(0, 1).map((change) => ({ ...change, client: 'sessions' })));
  });
});
