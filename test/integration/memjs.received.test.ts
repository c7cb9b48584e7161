import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseServers } from '../../src/config/parseServers';
import { ConnectionError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { memjsPortFactory } from '../../src/memjs/MemjsPort';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { FakeBinaryServer } from '../support/FakeBinaryServer';

// The port's `received`: chunks of bytes that reached it and connects it completed, what the
// engine reads to tell a silent connection from a busy caller.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

const settings = { timeoutMs: 1_000, connectTimeoutMs: 1_000, logger: silentLogger };

it('counts up with every answer and never goes back', async () => {
  const port = memjsPortFactory(settings)(parseServers([server.address])[0]!);
  try {
    expect(port.received).toBe(0);
    await port.ping();
    const afterPing = port.received;
    expect(afterPing).toBeGreaterThan(0);
    await port.set('r', Buffer.from('v'), 0, 0);
    await port.get('r');
    expect(port.received).toBeGreaterThan(afterPing);
    port.close();
    expect(port.received).toBeGreaterThan(afterPing);
  } finally {
    port.close();
  }
});

it('counts the connect, then stays put on a connection that never answers', async () => {
  let arrived: () => void = () => {};
  const requested = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // Reads the request, never answers.
  const silent = await FakeBinaryServer.start(() => arrived());
  const port = memjsPortFactory(settings)(parseServers([silent.address])[0]!);
  try {
    const pending = port.get('k');
    expect(port.received).toBe(0);
    await requested;
    // Connected (the request arrived): one, for the connect. No byte came after it.
    expect(port.received).toBe(1);
    port.close();
    await expect(pending).rejects.toThrow(ConnectionError);
    expect(port.received).toBe(1);
  } finally {
    port.close();
    await silent.close();
  }
});
