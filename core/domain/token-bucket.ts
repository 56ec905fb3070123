/** A token bucket: `tokens` left at `updatedAtMs`; refills at a rate up to a burst size. */
export interface TokenBucket {
  tokens: number;
  updatedAtMs: number;
}

export interface BucketRule {
  ratePerSecond: number;
  burst: number;
}

export type Take = { ok: true; bucket: TokenBucket } | { ok: false; bucket: TokenBucket; retryAfterMs: number };

export function fullBucket(rule: BucketRule, nowMs: number): TokenBucket {
  return { tokens: rule.burst, updatedAtMs: nowMs };
}

/**
 * Takes `cost` tokens if the bucket has them after refilling up to `nowMs`; otherwise says how
 * long until it will. A cost above the burst can never be paid: it waits for a full bucket.
 */
export function takeTokens(bucket: TokenBucket, cost: number, nowMs: number, rule: BucketRule): Take {
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
  const tokens = Math.min(rule.burst, bucket.tokens + (elapsedMs * rule.ratePerSecond) / 1000);
  const refilled = { tokens, updatedAtMs: nowMs };
  const needed = Math.min(cost, rule.burst);
  if (tokens >= needed) return { ok: true, bucket: { tokens: tokens - needed, updatedAtMs: nowMs } };
  return { ok: false, bucket: refilled, retryAfterMs: Math.ceil(((needed - tokens) * 1000) / rule.ratePerSecond) };
}
