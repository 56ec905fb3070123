import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../../core/rate-limits/consume-or-refuse.js';
import type { Redis } from '../../core/redis/connect-redis.js';

/**
 * Password-reset and verification mails per hour, per address and per account: nobody can
 * flood someone's inbox (or our mail provider's quota) through these routes.
 */
export function createAccountMailThrottle(
  redis: Redis,
  keyPrefix: string,
  limits: { perAccountPerHour: number; perAddressPerHour: number },
) {
  const limiter = (suffix: string, points: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${keyPrefix}:${suffix}`, points, duration: 3600 });
  const byAddress = limiter('ip', limits.perAddressPerHour);
  const byAccount = limiter('account', limits.perAccountPerHour);
  const message = 'too many mails asked for, try again later';
  return {
    async attempt(account: string, address: string): Promise<void> {
      await consumeOrRefuse(byAddress, address, message);
      await consumeOrRefuse(byAccount, account, message);
    },
  };
}
