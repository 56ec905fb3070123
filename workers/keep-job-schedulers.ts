import type { JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../core/log.js';
import type { Redis } from '../core/redis/connect-redis.js';

export interface SchedulerSpec {
  id: string;
  every: number;
  name: string;
  data?: unknown;
  opts?: JobsOptions;
}

export interface KeptSchedulers {
  /** Creates every scheduler that is missing or runs at another interval; safe to call any time. */
  assert(): Promise<void>;
  stop(): void;
}

/**
 * Keeps BullMQ job schedulers alive across a Redis that lost its memory (a restart without
 * persistence, a failover to an empty replica): BullMQ stores them in Redis only, so a scheduler
 * created once at start would be gone for good and nothing would tick again. They are asserted
 * at once, on every `ready` of the queue's connection (a reconnect) and every `everyMs`.
 * Asserting only writes what is missing or changed: re-upserting a live scheduler would replace
 * its next job on every pass.
 */
export function keepJobSchedulers(
  queue: Queue,
  connection: Redis,
  specs: readonly SchedulerSpec[],
  o: { everyMs: number; log: Logger },
): KeptSchedulers {
  let running: Promise<void> | undefined;
  let stopped = false;
  const assertAll = async () => {
    for (const s of specs) {
      const existing = await queue.getJobScheduler(s.id);
      if (existing?.every === s.every) continue;
      await queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.name, data: s.data, opts: s.opts });
      if (existing === undefined) o.log.info({ queue: queue.name, scheduler: s.id }, 'job scheduler (re)created');
    }
  };
  // One pass at a time; a caller arriving during a pass waits for it.
  const assert = () => {
    running ??= assertAll().finally(() => {
      running = undefined;
    });
    return running;
  };
  const background = () => {
    if (stopped) return;
    assert().catch((err: unknown) => o.log.warn({ err, queue: queue.name }, 'job schedulers not asserted'));
  };
  connection.on('ready', background);
  const timer = setInterval(background, o.everyMs);
  timer.unref();
  return {
    assert,
    stop() {
      stopped = true;
      clearInterval(timer);
      connection.off('ready', background);
    },
  };
}
