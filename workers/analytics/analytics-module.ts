import { Queue, Worker } from 'bullmq';
import { closeOnce } from '../../core/close-once.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { keepJobSchedulers } from '../runtime/keep-job-schedulers.js';
import type { WorkerModule } from '../runtime/worker-context.js';
import { runAnalyticsTick } from './run-analytics-tick.js';

const SCHEDULER_ID = 'analytics-tick';

/**
 * Live admin analytics. A BullMQ job scheduler makes one tick job per `ANALYTICS_INTERVAL_MS`
 * however many worker processes run, and one of them takes it; the roll-up's cursor lock keeps
 * even an overlapping late tick from counting an audit entry twice.
 */
export const analyticsModule: WorkerModule = {
  name: 'analytics',
  async start(ctx) {
    const queueConnection = connectRedis(ctx.config.redis);
    const workerConnection = connectRedis(ctx.config.redis, { role: 'stream' });
    const name = ctx.keys.analyticsQueue;
    const queue = new Queue(name, { connection: queueConnection, prefix: ctx.keys.bullPrefix });
    queue.on('error', () => {});
    const tick = async () => {
      const stopTimer = ctx.metrics.analyticsTick.startTimer();
      const { applied } = await runAnalyticsTick(ctx);
      ctx.metrics.analyticsRolledUp.inc(applied);
      stopTimer();
    };
    const worker = new Worker(name, tick, {
      connection: workerConnection,
      prefix: ctx.keys.bullPrefix,
      concurrency: 1,
      // A worker dying mid-tick stalls the scheduler until the job is reclaimed: seconds, not BullMQ's 30 s.
      lockDuration: 5000,
      stalledInterval: 2500,
    });
    worker.on('failed', (_job, err) => ctx.log.warn({ err }, 'analytics tick failed'));
    worker.on('error', (err) => ctx.log.warn({ err }, 'analytics worker error'));
    const schedulers = keepJobSchedulers(
      queue,
      queueConnection,
      [
        {
          id: SCHEDULER_ID,
          every: ctx.config.analyticsIntervalMs,
          name: 'tick',
          opts: { removeOnComplete: true, removeOnFail: 100 },
        },
      ],
      { everyMs: ctx.config.schedulerReassertMs, log: ctx.log },
    );
    await schedulers.assert();
    return {
      close: closeOnce(async () => {
        schedulers.stop();
        await worker.close();
        await queue.close();
        await Promise.allSettled([queueConnection.quit(), workerConnection.quit()]);
      }),
    };
  },
};
