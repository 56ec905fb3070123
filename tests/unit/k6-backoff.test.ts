import { describe, expect, it } from 'vitest';
import { backoffDelayMs, MAX_BACKOFF_MS, retryHintMs } from '../../load-tests/k6/lib/backoff.js';

const middle = () => 0.5; // jitter factor 1

/** Refused sign-ups and setup requests back off instead of hot-looping (issue 26: 5,800 requests/s). */
describe('k6 back-off', () => {
  it('doubles from 0.5 s per refusal in a row, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(0, n, middle))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  it("takes the server's hint when longer, never past 30 s", () => {
    expect(backoffDelayMs(3000, 1, middle)).toBe(3000);
    expect(backoffDelayMs(200, 3, middle)).toBe(2000);
    expect(backoffDelayMs(3_600_000, 1, middle)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelayMs(Number.NaN, 1, middle)).toBe(500);
  });

  it('spreads VUs refused together by ±25 %', () => {
    expect(backoffDelayMs(0, 2, () => 0)).toBe(750);
    expect(backoffDelayMs(0, 2, () => 0.999999)).toBeCloseTo(1250, 2);
  });

  it('reads Retry-After (seconds) and retryAfterMs, the longer of the two', () => {
    expect(retryHintMs('2', null)).toBe(2000);
    expect(retryHintMs(undefined, JSON.stringify({ error: { code: 'OVERLOADED', details: { retryAfterMs: 250 } } }))).toBe(250);
    expect(retryHintMs('1', JSON.stringify({ error: { details: { retryAfterMs: 1500 } } }))).toBe(1500);
    expect(retryHintMs('soon', '<html>')).toBe(0);
    expect(retryHintMs(undefined, undefined)).toBe(0);
  });
});
