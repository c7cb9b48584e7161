import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Seeds fast-check: property tests are reproducible (issue 11 #9).
    setupFiles: ['test/support/fastCheckSeed.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
