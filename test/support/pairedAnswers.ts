import { expect } from 'vitest';
import type { GetResult } from '../../src/api/Client';

/**
 * The answers of gets of `k0` and `k1` made together against a server that pairs answers wrongly:
 * neither holds the other's value, one failed the connection, and the failure was counted.
 */
export function expectNoValueOfAnother(k0: GetResult, k1: GetResult, failures: () => number): void {
  for (const [key, result] of [
    ['k0', k0],
    ['k1', k1],
  ] as const) {
    if (result.ok) expect(result.item?.value.toString(), key).toBe(key);
  }
  expect([k0, k1]).toContainEqual(expect.objectContaining({ ok: false, reason: 'connection' }));
  expect(failures()).toBeGreaterThanOrEqual(1);
}
