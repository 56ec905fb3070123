import { RateLimiterRedis } from 'rate-limiter-flexible';
import { AppError } from '../../core/domain/app-error.js';
import type { Redis } from '../../core/redis/connect-redis.js';

/**
 * Failed logins are counted per email and per client address; past the limit, logins for that
 * email (or from that address) answer RATE_LIMITED until the window passes, even with the
 * right password, so guessing gains nothing.
 */
export function createLoginThrottle(redis: Redis, keyPrefix: string, maxFailures: number, windowSeconds: number) {
  const byEmail = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:email`,
    points: maxFailures,
    duration: windowSeconds,
  });
  const byIp = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:ip`,
    points: maxFailures * 20,
    duration: windowSeconds,
  });
  const limited = (res: { consumedPoints: number } | null, points: number) => res !== null && res.consumedPoints >= points;
  return {
    async check(email: string, ip: string): Promise<void> {
      const [e, i] = await Promise.all([byEmail.get(email), byIp.get(ip)]);
      if (limited(e, maxFailures) || limited(i, maxFailures * 20)) {
        const ms = Math.max(e?.msBeforeNext ?? 0, i?.msBeforeNext ?? 0);
        throw new AppError('RATE_LIMITED', 'too many failed logins, try again later', {
          retryAfterSeconds: Math.ceil(ms / 1000),
        });
      }
    },
    async recordFailure(email: string, ip: string): Promise<void> {
      // Consuming past the limit rejects with the limiter's state; that is the expected outcome.
      await Promise.all([byEmail.consume(email).catch(() => {}), byIp.consume(ip).catch(() => {})]);
    },
    async reset(email: string): Promise<void> {
      await byEmail.delete(email);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
