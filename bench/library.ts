import { existsSync } from 'node:fs';

export type Library = typeof import('../src');

/**
 * This library as users get it: the built `dist/index.js`, not the TypeScript source. tsx compiles
 * source with esbuild's `keepNames`, which wraps every closure the client creates per call in a
 * `__name()` call (an Object.defineProperty each), a per-call cost users never pay that would make
 * the comparison with memjs (plain JS) unfair.
 */
export async function loadLibrary(): Promise<Library> {
  const url = new URL('../dist/index.js', import.meta.url);
  if (!existsSync(url)) throw new Error('dist/index.js is missing: run `npm run build` first (`npm run bench` does)');
  return (await import(url.href)) as Library;
}
