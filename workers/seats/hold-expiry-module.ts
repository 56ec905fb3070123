import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import cron from 'node-cron';
import { closeOnce } from '../../core/close-once.js';
import type { ExpireHoldJob } from '../../core/jobs/seat-jobs.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { expireHold, expireOverdueHolds, findMsUntilExpiry } from '../../core/use-cases/seats/expire-hold.js';
import { keepJobSchedulers } from '../runtime/keep-job-schedulers.js';
import type { WorkerModule } from '../runtime/worker-context.js';

const PASS_SCHEDULER_ID = 'hold-expiry-pass';

/**
 * Hold expiry. With HOLD_EXPIRY_PASS_MS > 0 (the default) a BullMQ job scheduler makes one
 * expiry pass per interval, however many workers run, over the active-hold index (every overdue
 * hold, in batches, see expireOverdueHolds): a hold costs Redis nothing, and `hold:expired`
 * reaches its owner within about one interval of `expiresAt`. With 0, the gateway queues one
 * delayed job per hold (still processed here, also for jobs queued before a switch). A node-cron
 * sweep catches whatever both miss (Redis lost its jobs). All of them end a hold only through
 * the guarded update, so they race each other and hold:confirm safely.
 */
export const holdExpiryModule: WorkerModule = {
  name: 'hold-expiry',
  async start(ctx) {
    const pass = async (why: string) => {
      const n = await expireOverdueHolds(ctx.pool, (effects) => ctx.afterCommit(effects));
      if (n > 0) ctx.log.info({ expired: n, why }, 'expired overdue holds');
    };

    const queueConnection = connectRedis(ctx.config.redis);
    const queue = new Queue(ctx.keys.holdExpiryQueue, { connection: queueConnection, prefix: ctx.keys.bullPrefix });
    queue.on('error', () => {});
    const connection = connectRedis(ctx.config.redis, { role: 'stream' });
    const worker = new Worker<ExpireHoldJob>(
      ctx.keys.holdExpiryQueue,
      async (job: Job<ExpireHoldJob>, token?: string) => {
        if (job.name === 'pass') return pass('pass');
        const expired = await expireHold(ctx.pool, job.data.holdId);
        if (expired) return ctx.afterCommit(expired);
        // Redis's clock ran ahead of Postgres's: come back when Postgres agrees it is over.
        const msLeft = await findMsUntilExpiry(ctx.pool, job.data.holdId);
        if (msLeft === null) return;
        await job.moveToDelayed(Date.now() + Math.max(0, msLeft) + 50, token);
        throw new DelayedError();
      },
      // A worker dying mid-pass stalls the scheduler for seconds, not BullMQ's default 30 s.
      { connection, prefix: ctx.keys.bullPrefix, concurrency: 16, lockDuration: 5000, stalledInterval: 2500 },
    );
    worker.on('failed', (job, err) => ctx.log.warn({ err, holdId: job?.data.holdId }, 'hold expiry job failed'));
    worker.on('error', (err) => ctx.log.warn({ err }, 'hold expiry worker error'));
    const passMs = ctx.config.holdExpiryPassMs;
    const schedulers = keepJobSchedulers(
      queue,
      queueConnection,
      passMs > 0
        ? [{ id: PASS_SCHEDULER_ID, every: passMs, name: 'pass', opts: { removeOnComplete: true, removeOnFail: 100 } }]
        : [],
      { everyMs: ctx.config.schedulerReassertMs, log: ctx.log },
    );
    if (passMs === 0) await queue.removeJobScheduler(PASS_SCHEDULER_ID).catch(() => {});
    await schedulers.assert().catch((err: unknown) => ctx.log.warn({ err }, 'hold expiry pass not scheduled yet'));

    const sweep = cron.schedule(
      ctx.config.holdSweepCron,
      () => pass('sweep').catch((err: unknown) => ctx.log.warn({ err }, 'hold sweep failed')),
      { noOverlap: true },
    );

    return {
      close: closeOnce(async () => {
        schedulers.stop();
        await sweep.destroy();
        await worker.close();
        await queue.close();
        await Promise.allSettled([connection.quit(), queueConnection.quit()]);
      }),
    };
  },
};
