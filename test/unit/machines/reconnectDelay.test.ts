import { describe, expect, it } from 'vitest';
import { BACKOFF_FACTOR, baseDelay, reconnectDelay } from '../../../machines/reconnectDelay';

describe('baseDelay', () => {
  it('starts at recoveryDelayMs and doubles per failed probe', () => {
    expect(BACKOFF_FACTOR).toBe(2);
    expect([0, 1, 2, 3].map((attempt) => baseDelay(attempt, 10_000, 1_000_000))).toEqual([
      10_000, 20_000, 40_000, 80_000,
    ]);
  });

  it('is capped at maxRecoveryDelayMs, even after very many attempts', () => {
    expect(baseDelay(3, 10_000, 60_000)).toBe(60_000);
    expect(baseDelay(10_000, 10_000, 60_000)).toBe(60_000);
  });

  it('stays constant when the cap equals the base (the Go original schedule)', () => {
    expect([0, 1, 5].map((a) => baseDelay(a, 10_000, 10_000))).toEqual([10_000, 10_000, 10_000]);
  });
});

describe('reconnectDelay', () => {
  it('is random in [d, 2d)', () => {
    expect(reconnectDelay(0, 10_000, 10_000, () => 0)).toBe(10_000);
    expect(reconnectDelay(0, 10_000, 10_000, () => 0.5)).toBe(15_000);
    expect(reconnectDelay(0, 10_000, 10_000, () => 0.999_999)).toBe(19_999);
    expect(reconnectDelay(2, 100, 1_000, () => 0.25)).toBe(500);
  });

  it('treats a broken random source as no jitter, never as a zero or negative wait', () => {
    for (const r of [Number.NaN, -1, 1, 7]) expect(reconnectDelay(0, 100, 100, () => r)).toBe(100);
  });
});
