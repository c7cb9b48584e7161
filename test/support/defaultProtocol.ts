import { vi } from 'vitest';

// Setup file of the `meta` and `text` test projects (vitest.config.ts): every client a test makes
// without naming a protocol speaks the project's (TEST_PROTOCOL). Options are resolved in one place, so wrapping resolveOptions
// reaches createClient, createClientWithPort and the helpers that build port factories alike;
// a test that names `protocol` (SASL is binary-only) keeps it.
vi.mock('../../src/config/options', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/config/options')>();
  return {
    ...real,
    resolveOptions: (options: Parameters<typeof real.resolveOptions>[0]) => {
      const resolved = real.resolveOptions(options);
      return options.protocol === undefined ? { ...resolved, protocol: process.env.TEST_PROTOCOL } : resolved;
    },
  };
});

// And every memcached a test starts speaks only the text protocol (`-B ascii`): a client that still
// spoke binary would fail. SASL (`-S`) needs the binary protocol; credentials.test.ts uses the auth
// file (`-Y`) under meta and text instead.
vi.mock('../../src/testing/memcached', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/testing/memcached')>();
  return {
    ...real,
    startMemcached: (options: Parameters<typeof real.startMemcached>[0] = {}) => {
      const args = options.args ?? [];
      return real.startMemcached(args.includes('-S') ? options : { ...options, args: [...args, '-B', 'ascii'] });
    },
  };
});
