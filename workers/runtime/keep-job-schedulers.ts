import type { JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../../core/log.js';
import type { Redis } from '../../core/redis/connect-redis.js';

export interface SchedulerSpec {
  id: string;
  every: number;
  name: string;
  data?: unknown;
  opts?: JobsOptions;
}

/**
 * How late a scheduler's current job may be before its chain counts as broken. BullMQ adds the
 * next iteration only after a worker has taken the current job: a worker SIGKILLed in between
 * leaves no next job, and the chain waits until the dead job's lock lapses and the job is
 * recovered as stalled (many seconds, measured 10 s with 5 s locks under load).
 */
export const stalledAfterMs = (every: number) => Math.max(5 * every, 1000);

/**
 * Makes one scheduler exist, at its interval, with a live chain of jobs: creates it when missing
 * or at another interval, and re-upserts it when its current job is overdue (the chain broke).
 * Re-upserting replaces a waiting current job at the same time slot (no extra run); an orphaned
 * active one is left to BullMQ, and when it is recovered its late re-scheduling is ignored (it is
 * no longer the scheduler's current job). Returns what it did.
 */
export async function assertJobScheduler(
  queue: Queue,
  s: SchedulerSpec,
  nowMs: number,
): Promise<'kept' | 'created' | 'changed' | 'restarted'> {
  const existing = await queue.getJobScheduler(s.id);
  const overdue = existing?.next !== undefined && nowMs - existing.next > stalledAfterMs(s.every);
  if (existing?.every === s.every && !overdue) return 'kept';
  await queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.name, data: s.data, opts: s.opts });
  return existing === undefined ? 'created' : existing.every !== s.every ? 'changed' : 'restarted';
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
 * at once, on every `ready` of the queue's connection (a reconnect) and every `everyMs` (a
 * process-local timer, so it works when the scheduler's own jobs do not). Asserting only writes
 * what is missing, changed or stalled (assertJobScheduler).
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
      const done = await assertJobScheduler(queue, s, Date.now());
      if (done !== 'kept') o.log.info({ queue: queue.name, scheduler: s.id, done }, 'job scheduler re-asserted');
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
