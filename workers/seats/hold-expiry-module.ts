import { DelayedError, type Job, Worker } from 'bullmq';
import cron from 'node-cron';
import { closeOnce } from '../../core/close-once.js';
import { createSeatJobs, type ExpireHoldJob } from '../../core/jobs/seat-jobs.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { rooms } from '../../core/rooms.js';
import { expireHold, findMsUntilExpiry, findOverdueHolds } from '../../core/use-cases/holds/expire-hold.js';
import type { WorkerContext, WorkerModule } from '../worker-context.js';

const SWEEP_BATCH = 500;

/**
 * Hold expiry: one BullMQ delayed job per hold at `expiresAt` (queued by the gateway after
 * commit), plus a node-cron sweep of overdue active holds for jobs that were never queued or got
 * lost with Redis. Both end a hold only through the guarded update, so they can race each other
 * and hold:confirm safely. The owner gets `hold:expired`; freed seats go to the waitlist.
 */
export const holdExpiryModule: WorkerModule = {
  name: 'hold-expiry',
  async start(ctx) {
    const jobs = createSeatJobs(ctx.config.redis, ctx.keys, ctx.now);
    const expire = async (holdId: string): Promise<boolean> => {
      const ended = await expireHold(ctx.pool, holdId);
      if (!ended) return false;
      ctx.seatChanges.publish(ended.eventId, ended.changes);
      ctx.emitter.to(rooms.user(ended.userId)).emit('hold:expired', { holdId, eventId: ended.eventId });
      await jobs.requestWaitlistOffer(ended.eventId).catch((err: unknown) => ctx.log.warn({ err }, 'offer job not queued'));
      return true;
    };

    const connection = connectRedis(ctx.config.redis, { role: 'stream' });
    const worker = new Worker<ExpireHoldJob>(
      ctx.keys.holdExpiryQueue,
      async (job: Job<ExpireHoldJob>, token?: string) => {
        if (await expire(job.data.holdId)) return;
        // Redis's clock ran ahead of Postgres's: come back when Postgres agrees it is over.
        const msLeft = await findMsUntilExpiry(ctx.pool, job.data.holdId);
        if (msLeft === null) return;
        await job.moveToDelayed(Date.now() + Math.max(0, msLeft) + 50, token);
        throw new DelayedError();
      },
      { connection, prefix: ctx.keys.bullPrefix, concurrency: 16 },
    );
    worker.on('failed', (job, err) => ctx.log.warn({ err, holdId: job?.data.holdId }, 'hold expiry job failed'));
    worker.on('error', (err) => ctx.log.warn({ err }, 'hold expiry worker error'));

    const sweep = cron.schedule(ctx.config.holdSweepCron, () => sweepOverdue(ctx, expire), { noOverlap: true });

    return {
      close: closeOnce(async () => {
        await sweep.destroy();
        await worker.close();
        await jobs.close();
        await connection.quit().catch(() => connection.disconnect());
      }),
    };
  },
};

async function sweepOverdue(ctx: WorkerContext, expire: (holdId: string) => Promise<boolean>): Promise<void> {
  try {
    const overdue = await findOverdueHolds(ctx.pool, SWEEP_BATCH);
    let expired = 0;
    for (const holdId of overdue) if (await expire(holdId)) expired++;
    if (expired > 0) ctx.log.info({ expired }, 'hold sweep expired overdue holds');
  } catch (err) {
    ctx.log.warn({ err }, 'hold sweep failed');
  }
}
