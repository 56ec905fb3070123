import { Queue } from 'bullmq';
import { connectRedis } from '../redis/connect-redis.js';
import type { Keys } from '../redis/keys.js';
import type { RedisTarget } from '../redis/redis-target.js';

export interface ExpireHoldJob {
  holdId: string;
}
export interface OfferWaitlistJob {
  eventId: string;
}

/** Jobs the seat commands hand to the workers, after commit. */
export interface SeatJobs {
  /** A delayed job at `expiresAt` (or nothing: the expiry pass); the cron sweep catches any job that is lost. */
  scheduleHoldExpiry(holdId: string, expiresAt: Date): Promise<void>;
  /** Seats may have freed up: let a worker offer them to the head of the waitlist. */
  requestWaitlistOffer(eventId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `perHoldExpiryJobs: false` (HOLD_EXPIRY_PASS_MS > 0): a worker expires holds in one pass a
 * second over the active-hold index, so a hold costs Redis nothing and scheduleHoldExpiry is a
 * no-op (measured: the per-hold delayed job was one Lua script and a Redis round trip per hold).
 */
export function createSeatJobs(
  redis: RedisTarget | string,
  keys: Keys,
  now: () => Date = () => new Date(),
  o: { perHoldExpiryJobs: boolean } = { perHoldExpiryJobs: true },
): SeatJobs {
  const connection = connectRedis(redis);
  const defaults = { removeOnComplete: true, removeOnFail: 1000, attempts: 3, backoff: { type: 'exponential', delay: 200 } };
  const expiry = new Queue<ExpireHoldJob>(keys.holdExpiryQueue, {
    connection,
    prefix: keys.bullPrefix,
    defaultJobOptions: defaults,
  });
  const offers = new Queue<OfferWaitlistJob>(keys.waitlistOfferQueue, {
    connection,
    prefix: keys.bullPrefix,
    defaultJobOptions: defaults,
  });
  expiry.on('error', () => {});
  offers.on('error', () => {});
  let closing: Promise<void> | undefined;
  return {
    async scheduleHoldExpiry(holdId, expiresAt) {
      if (!o.perHoldExpiryJobs) return;
      // A few ms late rather than early: the guarded expiry refuses holds not yet past expires_at.
      const delay = Math.max(0, expiresAt.getTime() - now().getTime() + 50);
      await expiry.add('expire', { holdId }, { delay, jobId: `hold-${holdId}` });
    },
    async requestWaitlistOffer(eventId) {
      await offers.add('offer', { eventId });
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([expiry.close(), offers.close()]);
        await connection.quit().catch(() => connection.disconnect());
      })();
      return closing;
    },
  };
}
