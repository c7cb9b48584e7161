import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseServers } from '../../src/config/parseServers';
import { ConnectionError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { memjsPortFactory } from '../../src/memjs/MemjsPort';
import type { MemcachedProcess } from '../../src/testing/memcached';
import { startSaslMemcached } from '../../src/testing/saslMemcached';

// memjs adds a once('authenticated') listener per connect and only a successful SASL exchange
// removes it. Failed connects on one port must not leave theirs behind (each holding its request),
// or the 11th makes Node print MaxListenersExceededWarning.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startSaslMemcached('alice', 'right-password');
});
afterAll(async () => {
  await server?.stop();
});

it('failed SASL connects on one port leave no listener behind', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const port = memjsPortFactory({ timeoutMs: 2_000, connectTimeoutMs: 2_000, logger: silentLogger })(
    parseServers([`alice:wrong-password@${server.address}`])[0]!,
  );
  try {
    // Each call opens a new socket (the last one failed authentication) and fails.
    for (let i = 0; i < 25; i++) {
      await expect(port.get(`k${i}`)).rejects.toBeInstanceOf(ConnectionError);
    }
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map(String)).toEqual([]);
  } finally {
    port.close();
    process.off('warning', onWarning);
  }
});
