import { expect } from 'vitest';

/** A reader under test and what it has handed on so far. */
export interface Feeding<R extends { feed(bytes: Buffer): void }, S> {
  readonly reader: R;
  readonly seen: S[];
}

/**
 * Feeds `bytes` to a fresh reader cut into two chunks at every point, then to one more byte by
 * byte, expecting `expected` each time; returns the byte-by-byte reader.
 */
export function expectEveryCut<R extends { feed(bytes: Buffer): void }, S>(
  bytes: Buffer,
  make: () => Feeding<R, S>,
  expected: S[],
): R {
  for (let cut = 1; cut < bytes.length; cut++) {
    const { reader: r, seen } = make();
    r.feed(bytes.subarray(0, cut));
    r.feed(bytes.subarray(cut));
    expect(seen, `cut at ${cut}`).toEqual(expected);
  }
  const { reader: r, seen } = make();
  for (let i = 0; i < bytes.length; i++) r.feed(bytes.subarray(i, i + 1));
  expect(seen).toEqual(expected);
  return r;
}
