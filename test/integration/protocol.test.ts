import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { resolveOptions } from '../../src/config/options';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { LINE_PROTOCOL, PROTOCOL } from '../support/protocol';

// The guard of the parameterised suites (vitest.config.ts): in each test project, clients made
// without a protocol speak that project's, and under meta every memcached refuses the binary
// protocol, so no test of the meta project can pass over memjs unnoticed.
let server: MemcachedProcess;
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  await server.stop();
});

describe(`test project ${PROTOCOL}`, () => {
  it('makes clients of its protocol by default', () => {
    expect(resolveOptions({ servers: server.address }).protocol).toBe(PROTOCOL);
  });

  it(`a binary client against a test memcached ${LINE_PROTOCOL ? 'fails (-B ascii)' : 'works'}`, async () => {
    const binary = createClient({ servers: server.address, protocol: 'binary', timeoutMs: 500 });
    const result = await binary.set({ key: 'guard', value: 'v' });
    await binary.close();
    expect(result).toBe(!LINE_PROTOCOL);
  });
});
