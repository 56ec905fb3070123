import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../../core/rate-limits/consume-or-refuse.js';
import type { Redis } from '../../core/redis/connect-redis.js';

export interface LoginThrottleLimits {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Guesses per email and per client address. Every attempt takes its point *before* the password
 * is checked (an atomic Redis decrement), so a burst of parallel guesses gets no more tries than
 * the limit: checking first and counting failures afterwards let every request of a burst
 * through the check. A successful login gives its points back (and clears the email's count),
 * so only failures use the allowance up; past it even the right password is refused until the
 * window passes, so guessing gains nothing.
 */
export function createLoginThrottle(redis: Redis, keyPrefix: string, limits: LoginThrottleLimits) {
  const byEmail = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:email`,
    points: limits.maxFailures,
    duration: limits.windowSeconds,
  });
  const byAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:ip`,
    points: limits.maxFailuresPerAddress,
    duration: limits.windowSeconds,
  });
  const message = 'too many failed logins, try again later';
  return {
    /** Takes one attempt from both allowances or throws RATE_LIMITED. */
    async attempt(email: string, address: string): Promise<void> {
      await consumeOrRefuse(byAddress, address, message);
      try {
        await consumeOrRefuse(byEmail, email, message);
      } catch (err) {
        // Refused for the email: the address did not get to guess, give its point back.
        await byAddress.reward(address, 1).catch(() => {});
        throw err;
      }
    },
    async succeeded(email: string, address: string): Promise<void> {
      await Promise.all([byEmail.delete(email), byAddress.reward(address, 1)]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
