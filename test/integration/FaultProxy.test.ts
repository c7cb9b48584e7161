import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultMode, FaultProxy } from '../../src/testing/FaultProxy';
import { freePort, startMemcached } from '../../src/testing/memcached';

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
    // The proxy's hold starts after `started`, so load only lengthens what is measured. Node's timers
    // have 1 ms granularity: one may fire a fraction of a millisecond early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    expect(received).toBe('STORED\r\nVALUE a 0 1\r\n1\r\nEND\r\n');
  });

  it('partition mode holds the answers while memcached does the work, and delivers them in order when it ends', async () => {
    const server = await startMemcached();
    cleanup.push(() => server.stop());
    const proxy = await proxyTo(server.port);
    const client = await connect(proxy.port);
    let received = '';
    client.on('data', (chunk) => {
      received += chunk;
    });
    await proxy.setMode({ kind: 'partition' });
    client.write('set p 0 0 1\r\nx\r\nget p\r\n');
    // memcached answered (the proxy holds the answer) yet the client has heard nothing.
    const deadline = performance.now() + 5000;
    while (proxy.held === 0 && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(proxy.held).toBeGreaterThan(0);
    expect(received).toBe('');
    const answered = new Promise<void>((resolve) => {
      client.on('data', () => {
        if (received.endsWith('END\r\n')) resolve();
      });
    });
    await proxy.setMode({ kind: 'pass' });
    await answered;
    expect(received).toBe('STORED\r\nVALUE p 0 1\r\nx\r\nEND\r\n');
    expect(proxy.held).toBe(0);
  });
});

/** What a connect to `port` on 127.0.0.1 meets: 'accepted', or the error's code. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('FaultProxy switches: the last call wins', () => {
  it('close() while a restore() is still reopening the port leaves nothing listening', async () => {
    const proxy = await proxyTo(await freePort());
    await proxy.refuse();
    const restoring = proxy.restore();
    await proxy.close();
    await restoring;
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
  });

  it('refuse() called while a restore() is pending refuses: the port ends closed', async () => {
    const proxy = await proxyTo(await freePort());
    await proxy.refuse();
    const restoring = proxy.restore();
    const refusing = proxy.refuse();
    await Promise.all([restoring, refusing]);
    expect(proxy.mode).toEqual({ kind: 'refuse' });
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
    await proxy.restore();
    expect(await connectOutcome(proxy.port)).toBe('accepted');
  });

  it('rejects a mode it does not know, or with a bad field, with a typed error, and keeps its mode', async () => {
    const proxy = await proxyTo(await freePort());
    await proxy.slow(5);
    const bad: unknown[] = [
      { kind: 'nope' },
      { kind: 'latency', ms: -1 },
      { kind: 'delay' },
      { kind: 'cut', afterBytes: Number.NaN },
      null,
      'pass',
    ];
    for (const mode of bad) {
      await expect(proxy.setMode(mode as FaultMode)).rejects.toMatchObject({
        name: 'InvalidFaultModeError',
        code: 'ERR_INVALID_FAULT_MODE',
      });
    }
    await expect(proxy.setMode({ kind: 'nope' } as unknown as FaultMode)).rejects.toThrow(
      /mode\.kind "nope".*'pass', 'refuse'/,
    );
    expect(proxy.mode).toEqual({ kind: 'latency', ms: 5 });
  });
});

describe('startMemcached', () => {
  it("rejects with memcached's own message when its port is busy, never answering through another listener", async () => {
    const holder = net.createServer((socket) => socket.destroy());
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    cleanup.push(() => new Promise((resolve) => holder.close(resolve)));
    const { port } = holder.address() as net.AddressInfo;
    await expect(startMemcached({ port })).rejects.toThrow(/exited .*71.*Address already in use/s);
    // Another memcached on the port is busy too.
    const first = await startMemcached();
    cleanup.push(() => first.stop());
    await expect(startMemcached({ port: first.port })).rejects.toThrow(/exited .*71.*Address already in use/s);
  });
});
