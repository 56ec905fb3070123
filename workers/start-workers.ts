import { closeOnce } from '../core/close-once.js';
import type { Config } from '../core/config.js';
import { createPool } from '../core/db/pool.js';
import { createSeatJobs } from '../core/jobs/seat-jobs.js';
import { createLogger, type Logger } from '../core/log.js';
import { createMetrics } from '../core/metrics.js';
import { connectRedis, whenRedisReady } from '../core/redis/connect-redis.js';
import { createSocketEmitter } from '../core/redis/create-socket-emitter.js';
import { createKeys } from '../core/redis/keys.js';
import { runShutdown } from '../core/run-shutdown.js';
import { createSeatChangePublisher } from '../core/seat-change-publisher.js';
import { createWorkerAfterCommit } from './runtime/worker-after-commit.js';
import type { WorkerContext, WorkerModule } from './runtime/worker-context.js';
import { workerModules } from './worker-modules.js';

const REDIS_STARTUP_TIMEOUT_MS = 15_000;

export interface RunningWorkers {
  ctx: WorkerContext;
  close(): Promise<void>;
}

export async function startWorkers(
  config: Config,
  log: Logger = createLogger(config.logLevel, { role: 'worker', instance: config.instanceId }),
  modules: readonly WorkerModule[] = workerModules,
): Promise<RunningWorkers> {
  const pool = createPool(config.databaseUrl, Math.min(config.pgPoolSize, 10));
  const redis = connectRedis(config.redis);
  const emitterRedis = connectRedis(config.redis, { role: 'stream' });
  // Commands fail fast while Redis is away; at start-up that means: wait for it, or exit.
  await whenRedisReady(redis, REDIS_STARTUP_TIMEOUT_MS);
  const keys = createKeys(config.redisPrefix);
  const emitter = createSocketEmitter(config.socketAdapter, emitterRedis, keys.socketChannel);
  const metrics = createMetrics(config.instanceId);
  const now = () => new Date();
  // An offer is a hold: it expires the way holds do (the expiry pass, or one job per hold when that is off).
  const seatJobs = createSeatJobs(config.redis, keys, now, { perHoldExpiryJobs: config.holdExpiryPassMs === 0 });
  const parts: Omit<WorkerContext, 'afterCommit'> = {
    config,
    log,
    pool,
    redis,
    keys,
    metrics,
    emitter,
    seatJobs,
    seatChanges: createSeatChangePublisher((m) => redis.publish(keys.seatChanges, m), config.seatFanoutCoalesceMs, {
      exitAfterCommit: config.testExitAfterCommit,
      onError: (err) => log.warn({ err }, 'seat change not published (the gateways repair it)'),
      // A worker's part of the fan-out ends when the message leaves it; gateways observe the push.
      onFlush: (since) => metrics.fanoutLag.observe((Date.now() - since) / 1000),
    }),
    now,
  };
  const ctx: WorkerContext = { ...parts, afterCommit: createWorkerAfterCommit(parts) };
  const started: { name: string; close(): Promise<void> }[] = [];
  for (const m of modules) {
    const running = await m.start(ctx);
    started.push({ name: m.name, close: () => running.close() });
    log.info({ module: m.name }, 'worker module started');
  }
  return {
    ctx,
    close: closeOnce(async () => {
      await runShutdown(
        [
          ...started.reverse().map((m) => [m.name, () => m.close()] as [string, () => unknown]),
          ['pending seat pushes', () => ctx.seatChanges.flushAll()],
          ['seat jobs', () => seatJobs.close()],
          ['socket emitter', () => emitter.close()],
          ['redis', () => Promise.all([redis.quit(), emitterRedis.quit()])],
          ['postgres', () => pool.end()],
        ],
        config.shutdownDeadlineMs,
        (step, err) => log.warn({ err, step }, 'shutdown step failed'),
      );
      log.info('workers stopped');
    }),
  };
}
