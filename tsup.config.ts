import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    inspect: 'src/inspect/index.ts',
    keyv: 'src/keyv/index.ts',
    otel: 'src/otel/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Shared code (the error classes) in one chunk for CJS too, so `instanceof` holds across entries.
  splitting: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
