import { type Job, Worker } from 'bullmq';
import cron from 'node-cron';
import { closeOnce } from '../../core/close-once.js';
import type { OfferWaitlistJob } from '../../core/jobs/seat-jobs.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { offerWaitlist } from '../../core/use-cases/seats/offer-waitlist.js';
import { findEventsToOffer } from '../../core/use-cases/waitlist/find-events-to-offer.js';
import type { WorkerModule } from '../runtime/worker-context.js';

/**
 * Waitlist offers: when seats free up (release, expiry, cancellation) a job per event makes holds
 * for the head of its waitlist and pushes `waitlist:offer`; the others hear their new position.
 * The cron sweep re-checks events with people waiting and free seats, for jobs that were lost.
 */
export const waitlistOfferModule: WorkerModule = {
  name: 'waitlist-offers',
  async start(ctx) {
    const offer = async (eventId: string) => {
      const offers = await offerWaitlist(ctx, eventId, ctx.config.waitlistOfferTtlSeconds, ctx.now);
      for (const effects of offers) ctx.afterCommit(effects);
    };

    const connection = connectRedis(ctx.config.redis, { role: 'stream' });
    const worker = new Worker<OfferWaitlistJob>(
      ctx.keys.waitlistOfferQueue,
      (job: Job<OfferWaitlistJob>) => offer(job.data.eventId),
      {
        connection,
        prefix: ctx.keys.bullPrefix,
        concurrency: 4,
      },
    );
    worker.on('failed', (job, err) => ctx.log.warn({ err, eventId: job?.data.eventId }, 'waitlist offer job failed'));
    worker.on('error', (err) => ctx.log.warn({ err }, 'waitlist offer worker error'));

    const sweep = cron.schedule(
      ctx.config.holdSweepCron,
      async () => {
        try {
          for (const eventId of await findEventsToOffer(ctx.pool)) await ctx.seatJobs.requestWaitlistOffer(eventId);
        } catch (err) {
          ctx.log.warn({ err }, 'waitlist sweep failed');
        }
      },
      { noOverlap: true },
    );

    return {
      close: closeOnce(async () => {
        await sweep.destroy();
        await worker.close();
        await connection.quit().catch(() => connection.disconnect());
      }),
    };
  },
};
