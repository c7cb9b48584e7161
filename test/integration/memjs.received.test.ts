import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger';
import { memjsPortFactory } from '../../src/memjs/MemjsPort';
import { type MemcachedProcess, startBlackHole, startMemcached } from '../../src/testing/memcached';

// The port's `received`: chunks of bytes that reached it, what the engine reads to tell a silent
// connection from a busy caller (issue 11 #1).
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

const settings = { timeoutMs: 1_000, connectTimeoutMs: 1_000, logger: silentLogger };

it('counts up with every answer and never goes back', async () => {
  const port = memjsPortFactory(settings)({ host: '127.0.0.1', port: server.port });
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

it('stays at 0 on a connection that never answers', async () => {
  const hole = await startBlackHole();
  const port = memjsPortFactory({ ...settings, timeoutMs: 50 })({ host: '127.0.0.1', port: hole.port });
  try {
    await expect(port.get('k')).rejects.toThrow();
    expect(port.received).toBe(0);
  } finally {
    port.close();
    await hole.close();
  }
});
