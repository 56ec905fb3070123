import { type Job, Queue, Worker } from 'bullmq';
import { closeOnce } from '../../core/close-once.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { reconcileAdmissionControls } from '../../core/use-cases/waiting-room/reconcile-admission-controls.js';
import { assertJobScheduler, keepJobSchedulers } from '../runtime/keep-job-schedulers.js';
import type { WorkerModule } from '../runtime/worker-context.js';
import { admitTick } from './admit-tick.js';

const QUEUE = 'admission';
const tickSchedulerId = (eventId: string) => `tick:${eventId}`;
const done = { removeOnComplete: true, removeOnFail: 100 } as const;

export interface TickJobData {
  eventId: string;
  /** The interval the scheduler was made with; a tick that sees another one re-schedules. */
  tickMs: number;
}

/**
 * The waiting room's workers. BullMQ job schedulers emit one job per interval whatever the
 * number of worker processes, and each job is taken by exactly one of them: one admission
 * tick per event per `tickMs`, one reconcile per second. (Queue positions are computed by each gateway for its own
 * waiting sockets: gateway/waiting-room/local-queue-positions.ts.)
 */
export const admissionModule: WorkerModule = {
  name: 'admission',
  async start(ctx) {
    const queueConnection = connectRedis(ctx.config.redis);
    const workerConnection = connectRedis(ctx.config.redis, { role: 'stream' });
    const queue = new Queue(QUEUE, { connection: queueConnection, prefix: ctx.keys.bullPrefix });

    const scheduleTicks = (eventId: string, tickMs: number) =>
      queue.upsertJobScheduler(
        tickSchedulerId(eventId),
        { every: tickMs },
        { name: 'tick', data: { eventId, tickMs }, opts: done },
      );

    const reconcile = async () => {
      const { live, retired } = await reconcileAdmissionControls(ctx, ctx.now());
      for (const c of live) {
        const { eventId, settings } = c;
        // Also restarts a tick chain a killed worker broke (keep-job-schedulers.ts).
        const spec = {
          id: tickSchedulerId(eventId),
          every: settings.tickMs,
          name: 'tick',
          data: { eventId, tickMs: settings.tickMs },
          opts: done,
        };
        const did = await assertJobScheduler(queue, spec, Date.now());
        if (did === 'restarted') ctx.log.warn({ eventId }, 'admission ticks had stalled; restarted');
      }
      for (const eventId of retired) await queue.removeJobScheduler(tickSchedulerId(eventId));
    };

    const handle = async (job: Job) => {
      if (job.name === 'tick') {
        const data = job.data as TickJobData;
        const result = await admitTick(ctx, data.eventId);
        // A configure from the admin changed the interval: the next tick runs on the new one.
        if (result.control.settings.tickMs !== data.tickMs) await scheduleTicks(data.eventId, result.control.settings.tickMs);
      } else if (job.name === 'reconcile') {
        await reconcile();
      }
    };
    // Concurrency: one slow event's tick must not hold up the others. Short locks: a worker
    // that dies holding a job stalls that scheduler until another worker reclaims the job; with
    // BullMQ's 30 s defaults an on-sale would stop admitting for up to a minute, with these for
    // a few seconds. Every job here takes well under a second, and the lock is renewed anyway.
    const worker = new Worker(QUEUE, handle, {
      connection: workerConnection,
      prefix: ctx.keys.bullPrefix,
      concurrency: 8,
      lockDuration: 5000,
      stalledInterval: 2500,
    });
    worker.on('failed', (job, err) => ctx.log.warn({ err, job: job?.name }, 'admission job failed'));
    worker.on('error', (err) => ctx.log.warn({ err }, 'admission worker error'));

    // Per-event tick schedulers are re-made by reconcile; these two must survive a Redis loss.
    const schedulers = keepJobSchedulers(
      queue,
      queueConnection,
      [{ id: 'reconcile', every: ctx.config.admissionReconcileMs, name: 'reconcile', opts: done }],
      { everyMs: ctx.config.schedulerReassertMs, log: ctx.log },
    );
    await schedulers.assert();
    await reconcile();

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
