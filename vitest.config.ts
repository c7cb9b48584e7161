import { defineConfig } from 'vitest/config';

// The real-memcached suites run once per protocol: project `binary` runs every test as written (the
// default protocol), project `meta` runs the integration suites again with `protocol: 'meta'` as
// the default of every client they make (test/support/metaProtocol.ts). One suite, two adapters.
// Files about something other than the wire, or about the memjs adapter itself, are not repeated.
const PROTOCOL_FREE = [
  'test/integration/memjs.*.test.ts',
  'test/integration/FaultProxy.test.ts',
  'test/integration/demo.test.ts',
  'test/integration/inspector.test.ts',
  'test/integration/package.test.ts',
];

export default defineConfig({
  test: {
    // Seeds fast-check: property tests are reproducible (issue 11 #9). Both projects inherit it.
    setupFiles: ['test/support/fastCheckSeed.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'binary', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'meta',
          include: ['test/integration/**/*.test.ts'],
          exclude: PROTOCOL_FREE,
          setupFiles: ['test/support/metaProtocol.ts'],
          env: { TEST_PROTOCOL: 'meta' },
        },
      },
    ],
  },
});
