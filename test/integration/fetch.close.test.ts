import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { type CommandContext, commandChannel } from '../../src/core/channels';
import { ClientClosedError } from '../../src/core/errors';
import { startMemcached } from '../../src/testing/memcached';
import { afterEachCleanup } from '../support/afterEachCleanup';
import { heldLoader } from '../support/heldLoader';
import { PROTOCOL } from '../support/protocol';

// close() ends every wait of a fetch that has not called its loader yet: the loader is not the
// client's to run any more, as for a fetch after close().
const cleanup = afterEachCleanup();

describe(`fetch (${PROTOCOL}): close() while a fetch waits`, () => {
  it('a fetch waiting on its server rejects with ClientClosedError and never calls the loader', async () => {
    // A server that accepts and never answers: the fetch's read waits on it.
    let written!: () => void;
    const reached = new Promise<void>((resolve) => {
      written = resolve;
    });
    const silent = net.createServer((socket) => socket.on('data', () => written()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    silent.on('connection', (socket) => cleanup(() => socket.destroy()));
    const { port } = silent.address() as net.AddressInfo;
    const cache = createClient({ servers: `127.0.0.1:${port}`, timeoutMs: 5000 });
    let loads = 0;
    const fetching = cache.fetch('waiting', () => `loaded-${++loads}`, { ttl: 60 });
    await reached;
    await cache.close();
    await expect(fetching).rejects.toBeInstanceOf(ClientClosedError);
    expect(loads).toBe(0);
  });

  if (PROTOCOL === 'meta') {
    it("a fetch waiting for another client's fill rejects with ClientClosedError and never calls the loader", async () => {
      const server = await startMemcached();
      cleanup(() => server.stop());
      const filler = createClient({ servers: server.address, timeoutMs: 1000 });
      cleanup(() => filler.close());
      const fill = heldLoader('filled');
      const filling = filler.fetch('filled-elsewhere', fill.load, { ttl: 60 });
      await fill.started;
      const waiter = createClient({ servers: server.address, timeoutMs: 1000, name: 'waiter' });
      cleanup(() => waiter.close());
      // Its reads: the first finds the placeholder, the next ones poll for the value.
      let reads = 0;
      let polling!: () => void;
      const polled = new Promise<void>((resolve) => {
        polling = resolve;
      });
      const onRead = (context: CommandContext) => {
        if (context.client === 'waiter' && context.command === 'fetch' && ++reads === 2) polling();
      };
      commandChannel.asyncEnd.subscribe(onRead as (message: unknown) => void);
      cleanup(() => commandChannel.asyncEnd.unsubscribe(onRead as (message: unknown) => void));
      let loads = 0;
      const waiting = waiter.fetch('filled-elsewhere', () => `waiter-${++loads}`, { ttl: 60, timeoutMs: 5000 });
      await polled;
      await waiter.close();
      await expect(waiting).rejects.toBeInstanceOf(ClientClosedError);
      expect(loads).toBe(0);
      fill.release();
      expect((await filling).toString()).toBe('filled');
    });
  }
});
