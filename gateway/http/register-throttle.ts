import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../../core/rate-limits/consume-or-refuse.js';
import type { Redis } from '../../core/redis/connect-redis.js';

/**
 * Registrations per client address. Each one costs an argon2id hash (19 MiB, tens of ms of CPU)
 * and each new account gets its own per-user seat allowance: unthrottled, one address could
 * both pin the CPUs and mint accounts to buy past `maxSeatsPerUser`.
 */
export function createRegisterThrottle(redis: Redis, keyPrefix: string, limit: { maxPerAddress: number; windowSeconds: number }) {
  const byAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points: limit.maxPerAddress,
    duration: limit.windowSeconds,
  });
  return {
    attempt: (address: string) =>
      consumeOrRefuse(byAddress, address, 'too many registrations from this address, try again later'),
  };
}

export type RegisterThrottle = ReturnType<typeof createRegisterThrottle>;
