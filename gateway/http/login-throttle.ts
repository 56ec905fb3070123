import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../../core/rate-limits/consume-or-refuse.js';
import type { Redis } from '../../core/redis/connect-redis.js';

export interface LoginThrottleLimits {
  /** Failed logins per account and address. */
  maxFailures: number;
  /** Failed logins per address, whatever the accounts. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Guesses per account *and* address, and per address. Every attempt takes its point *before*
 * the password is checked (an atomic Redis decrement), so a burst of parallel guesses gets no
 * more tries than the limit. A successful login gives its points back, so only failures use the
 * allowance up; past it even the right password is refused from that address until the window
 * passes, so guessing gains nothing. No count is kept per account alone: failures from one
 * address never lock the owner out from theirs (anyone could otherwise lock any account out by
 * failing five times a window).
 */
export function createLoginThrottle(redis: Redis, keyPrefix: string, limits: LoginThrottleLimits) {
  const byAccountAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:email-ip`,
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
  // JSON keeps the two parts apart whatever characters an email holds.
  const pair = (email: string, address: string) => JSON.stringify([email, address]);
  return {
    /** Takes one attempt from both allowances or throws RATE_LIMITED. */
    async attempt(email: string, address: string): Promise<void> {
      await consumeOrRefuse(byAddress, address, message);
      try {
        await consumeOrRefuse(byAccountAddress, pair(email, address), message);
      } catch (err) {
        // Refused for this account from here: the address did not get to guess, give its point back.
        await byAddress.reward(address, 1).catch(() => {});
        throw err;
      }
    },
    async succeeded(email: string, address: string): Promise<void> {
      await Promise.all([byAccountAddress.delete(pair(email, address)), byAddress.reward(address, 1)]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
