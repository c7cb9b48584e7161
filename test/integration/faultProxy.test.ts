import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../support/FaultProxy';
import { freePort, startMemcached } from '../support/memcached';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function proxyTo(port: number): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ port });
  cleanup.push(() => proxy.close());
  return proxy;
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  cleanup.push(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

describe('FaultProxy', () => {
  it('resets the client connection when memcached cannot be reached, as a dead server would', async () => {
    const proxy = await proxyTo(await freePort());
    const socket = net.connect(proxy.port, '127.0.0.1');
    cleanup.push(() => socket.destroy());
    let error: NodeJS.ErrnoException | undefined;
    socket.on('error', (err) => {
      error = err;
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('version\r\n');
    await closed;
    expect(error?.code).toBe('ECONNRESET');
  });

  it('latency mode holds each response for at least `ms` and keeps their order', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const proxy = await proxyTo(server.port);
    await proxy.setMode({ kind: 'latency', ms: 50 });
    const socket = await connect(proxy.port);
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
    });
    const started = performance.now();
    socket.write('set a 0 0 1\r\n1\r\nget a\r\n');
    while (!received.endsWith('END\r\n')) await once(socket, 'data');
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(received).toBe('STORED\r\nVALUE a 0 1\r\n1\r\nEND\r\n');
  });
});
