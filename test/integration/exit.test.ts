import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { PROTOCOL } from '../support/protocol';
import { runScript } from '../support/runScript';

// "Nothing keeps a user's process alive": run real scripts in a child Node process and check that
// they exit by themselves, their clients speaking this test project's protocol (vitest.config.ts). A leaked socket or a ref'd timer would keep them running until the
// 10 s guard below kills them.
let server: MemcachedProcess;

beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server?.stop();
});

describe('the process exits by itself', () => {
  it('after create, use and close', async () => {
    const { code, output } = await runScript(
      `
      const cache = createClient({ servers: '${server.address}' });
      console.log(await cache.set({ key: 'exit', value: 'v' }), (await cache.get('exit')).ok);
      await cache.close();
    `,
      PROTOCOL,
    );
    expect(output.trim()).toBe('true true');
    expect(code).toBe(0);
  });

  it('while reconnecting, with a probe scheduled and no close(): the unref timer does not hold it', async () => {
    const { code, output } = await runScript(
      `
      const cache = createClient({ servers: '127.0.0.1:1', allowedFailuresBeforeHealing: 1, recoveryDelayMs: 60000 });
      await cache.get('k');
      console.log(cache.state);
    `,
      PROTOCOL,
    );
    expect(output.trim()).toBe('reconnecting');
    expect(code).toBe(0);
  });

  // The live server's socket would hold the process if close() missed any server's connection.
  it('with several servers, one connected and one healing with a probe scheduled, after close()', async () => {
    const { code, output } = await runScript(
      `
      const cache = createClient({
        servers: ['${server.address}', '127.0.0.1:1'],
        allowedFailuresBeforeHealing: 1,
        recoveryDelayMs: 60000,
      });
      for (let i = 0; cache.servers()[1].state !== 'reconnecting'; i++) await cache.get('k' + i);
      console.log(cache.servers().map((s) => s.state).join(' '));
      await cache.close();
    `,
      PROTOCOL,
    );
    expect(output.trim()).toBe('connected reconnecting');
    expect(code).toBe(0);
  });
});
