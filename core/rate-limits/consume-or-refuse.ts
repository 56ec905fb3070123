import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../domain/app-error.js';

/** RATE_LIMITED with the wait the PROTOCOL promises (`details.retryAfterMs`). */
export function rateLimited(message: string, retryAfterMs: number): AppError {
  return new AppError('RATE_LIMITED', message, { retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) });
}

/**
 * Takes `points` from the key's allowance or throws RATE_LIMITED. The limiter rejects with its
 * state when the allowance is gone and with an Error when its store failed: only the first is
 * the client's fault; a store failure propagates (Redis away: translated once at the edge).
 */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, message: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw rateLimited(message, err.msBeforeNext);
    throw err;
  }
}
