import { type Job, Queue, Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import { closeOnce } from '../../core/close-once.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { deliverMail } from '../../core/use-cases/notifications/deliver-mail.js';
import { findUnrelayedMail, markMailRelayed } from '../../core/use-cases/notifications/find-unrelayed-mail.js';
import { remindExpiringHolds } from '../../core/use-cases/notifications/remind-expiring-holds.js';
import type { WorkerModule } from '../runtime/worker-context.js';

interface MailJob {
  outboxId: string;
}

/**
 * Notification mail: every NOTIFY_POLL_MS a worker writes hold reminders that are due to the
 * outbox and moves unrelayed outbox rows onto a BullMQ queue (job id = outbox id, so two workers
 * relaying the same row make one job); a BullMQ worker delivers each through SMTP_URL with
 * NOTIFY_MAX_ATTEMPTS exponential-backoff attempts. Without SMTP_URL nothing is sent: the outbox
 * keeps everything for when a server is configured.
 */
export const notificationModule: WorkerModule = {
  name: 'notifications',
  async start(ctx) {
    const { config } = ctx;
    if (!config.smtpUrl) {
      ctx.log.info('notifications: no SMTP_URL, mail stays in the outbox');
      return { close: async () => {} };
    }
    const transport = nodemailer.createTransport(config.smtpUrl);
    const send = async (m: { messageId: string; to: string; subject: string; text: string; html: string }) => {
      await transport.sendMail({ from: config.mailFrom, ...m });
    };
    const queueConnection = connectRedis(config.redis);
    const queue = new Queue<MailJob>(ctx.keys.notificationQueue, {
      connection: queueConnection,
      prefix: ctx.keys.bullPrefix,
      defaultJobOptions: {
        attempts: config.notifyMaxAttempts,
        backoff: { type: 'exponential', delay: config.notifyBackoffMs },
        // Kept a day so a re-relayed row finds its job id taken instead of making a second job.
        removeOnComplete: { age: 86_400 },
        removeOnFail: { age: 7 * 86_400 },
      },
    });
    queue.on('error', () => {});
    const workerConnection = connectRedis(config.redis, { role: 'stream' });
    const worker = new Worker<MailJob>(
      ctx.keys.notificationQueue,
      async (job: Job<MailJob>) => {
        try {
          const outcome = await deliverMail(ctx.pool, send, config.mailFrom, job.data.outboxId);
          if (outcome === 'sent' || outcome === 'skipped') ctx.metrics.notifications.inc({ outcome });
          return outcome;
        } catch (err) {
          ctx.metrics.notifications.inc({ outcome: 'failed' });
          throw err;
        }
      },
      {
        connection: workerConnection,
        prefix: ctx.keys.bullPrefix,
        concurrency: 4,
        // A worker killed mid-delivery leaves its job locked: another worker takes it over once the
        // lock lapses and a stalled check sees it (10 s + up to 5 s, instead of BullMQ's 30 + 30 s).
        // Live workers renew the lock every 5 s, far more often than an SMTP attempt takes.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    worker.on('failed', (job, err) => ctx.log.warn({ err: err.message, outboxId: job?.data.outboxId }, 'mail delivery failed'));
    worker.on('error', (err) => ctx.log.warn({ err }, 'notification worker error'));

    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const relay = async () => {
      try {
        await remindExpiringHolds(ctx.pool, config.notifyHoldReminderSeconds);
        for (;;) {
          const ids = await findUnrelayedMail(ctx.pool, 500);
          if (ids.length === 0) break;
          await queue.addBulk(ids.map((outboxId) => ({ name: 'mail', data: { outboxId }, opts: { jobId: outboxId } })));
          await markMailRelayed(ctx.pool, ids);
          if (ids.length < 500) break;
        }
      } catch (err) {
        ctx.log.warn({ err }, 'notification relay failed; retrying next poll');
      }
      if (!stopped) timer = setTimeout(relay, config.notifyPollMs);
    };
    timer = setTimeout(relay, 0);

    return {
      close: closeOnce(async () => {
        stopped = true;
        clearTimeout(timer);
        await worker.close();
        await queue.close();
        transport.close();
        await Promise.all([queueConnection, workerConnection].map((c) => c.quit().catch(() => c.disconnect())));
      }),
    };
  },
};
