import { describe, expect, it } from 'vitest';
import { commandCost } from '../../core/domain/command-cost.js';
import { fullBucket, takeTokens } from '../../core/domain/token-bucket.js';

const rule = { ratePerSecond: 10, burst: 20 };

describe('takeTokens', () => {
  it('spends a full burst at once, then refuses with the wait until the next token', () => {
    let bucket = fullBucket(rule, 0);
    for (let i = 0; i < 20; i++) {
      const take = takeTokens(bucket, 1, 0, rule);
      expect(take.ok).toBe(true);
      bucket = take.bucket;
    }
    const refused = takeTokens(bucket, 1, 0, rule);
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 100 });
    expect(takeTokens(refused.bucket, 1, 100, rule).ok).toBe(true);
  });

  it('refills at the rate and never past the burst', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    expect(takeTokens(empty, 5, 499, rule).ok).toBe(false);
    expect(takeTokens(empty, 5, 500, rule).ok).toBe(true);
    const after = takeTokens(empty, 1, 60_000, rule);
    expect(after.ok && after.bucket.tokens).toBe(19);
  });

  it('charges a cost above the burst as a full bucket instead of never', () => {
    expect(takeTokens(fullBucket(rule, 0), 50, 0, rule).ok).toBe(true);
  });

  it('ignores a clock that goes backwards', () => {
    const b = { tokens: 3, updatedAtMs: 1000 };
    const take = takeTokens(b, 1, 500, rule);
    expect(take.ok && take.bucket.tokens).toBe(2);
  });

  it('costs more for what the server spends more on', () => {
    expect(commandCost('seats:subscribe')).toBeGreaterThan(commandCost('queue:status'));
    expect(commandCost('unknown:command')).toBe(1);
    // Names a client may send that an object literal answers from its prototype.
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) expect(commandCost(name)).toBe(1);
  });
});
