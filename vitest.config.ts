import { defineConfig } from 'vitest/config';

// The real-memcached suites run once per protocol: project `binary` runs every test as written (the
// default protocol), projects `meta` and `text` run the integration suites again with their
// protocol as the default of every client they make (test/support/defaultProtocol.ts). One suite,
// three adapters.
// Files about something other than the wire, or about one adapter itself (they name the protocol),
// are not repeated.
const PROTOCOL_FREE = [
  'test/integration/memjs.*.test.ts',
  'test/integration/meta.*.test.ts',
  'test/integration/text.*.test.ts',
  'test/integration/FaultProxy.test.ts',
  'test/integration/demo.test.ts',
  'test/integration/inspector.test.ts',
  'test/integration/package.test.ts',
  'test/integration/bench.*.test.ts',
];

const SCALE = 'test/integration/*.scale.test.ts';
const META = { setupFiles: ['test/support/defaultProtocol.ts'], env: { TEST_PROTOCOL: 'meta' } };
const TEXT = { setupFiles: ['test/support/defaultProtocol.ts'], env: { TEST_PROTOCOL: 'text' } };

export default defineConfig({
  test: {
    // Seeds fast-check: property tests are reproducible. Both projects inherit it.
    setupFiles: ['test/support/fastCheckSeed.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'binary', include: ['test/**/*.test.ts'], exclude: [SCALE], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'meta',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...PROTOCOL_FREE, SCALE],
          ...META,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'text',
          include: ['test/integration/**/*.test.ts'],
          exclude: [...PROTOCOL_FREE, SCALE],
          ...TEXT,
          sequence: { groupOrder: 0 },
        },
      },
      // Tests of what the client does at scale (100,000 calls at once) measure how late calls settle:
      // they run after everything else, one at a time, so no other test's processes share the CPU.
      { extends: true, test: { name: 'binary-scale', include: [SCALE], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'meta-scale', include: [SCALE], ...META, sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: 'text-scale', include: [SCALE], ...TEXT, sequence: { groupOrder: 3 } } },
    ],
  },
});
