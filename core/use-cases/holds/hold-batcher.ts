import type { Pool } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import type { Metrics } from '../../metrics.js';
import { type BatchHoldOutcome, type BatchHoldRequest, writeHoldBatch } from './write-hold-batch.js';

export interface HoldBatcherOptions {
  windowMs: number;
  maxBatch: number;
  /** Requests waiting for a batch on this process, over all events. */
  queueMax: number;
  /** One user's requests waiting on this process. */
  userMaxPending: number;
  /** Batches of one event written at the same time by this process. */
  maxInFlight: number;
}

export interface HoldBatcher {
  /** Queues one request for the next batch of its event; OVERLOADED at once when full. */
  submit(eventId: string, request: BatchHoldRequest, deadlineAt: number): Promise<BatchHoldOutcome>;
  /** Requests waiting for or inside a batch right now. */
  pending(): number;
}

interface Entry {
  request: BatchHoldRequest;
  deadlineAt: number;
  resolve(outcome: BatchHoldOutcome): void;
  reject(err: unknown): void;
}

interface EventQueue {
  waiting: Entry[];
  timer: NodeJS.Timeout | null;
  /** Batches of this event being written now. */
  writing: number;
}

/**
 * Group commit for seats:hold, per event on this gateway: requests arriving within `windowMs`
 * (or until `maxBatch`) are written by one transaction (writeHoldBatch). Up to `maxInFlight`
 * batches of an event are written at once; while they are, the next one collects, so batches
 * grow with the database's latency and commits per second stop being the ceiling. The queue is bounded, in total and per user: a
 * request that would wait past the bound, or whose deadline passes before its batch starts, is
 * answered OVERLOADED with retryAfterMs and never touches Postgres.
 */
export function createHoldBatcher(pool: Pool, metrics: Metrics, now: () => Date, o: HoldBatcherOptions): HoldBatcher {
  const queues = new Map<string, EventQueue>();
  const perUser = new Map<string, number>();
  let pending = 0;
  /** Recent batch duration, for retryAfterMs. */
  let batchMs = 10;

  const shed = (reason: string, message: string) => {
    metrics.shed.inc({ reason });
    const retryAfterMs = Math.min(5000, Math.max(50, Math.round(batchMs * Math.ceil((pending + 1) / o.maxBatch))));
    return new AppError('OVERLOADED', message, { retryAfterMs }, true);
  };

  const settle = (e: Entry) => {
    pending--;
    const n = (perUser.get(e.request.userId) ?? 1) - 1;
    if (n <= 0) perUser.delete(e.request.userId);
    else perUser.set(e.request.userId, n);
  };

  const schedule = (eventId: string, q: EventQueue) => {
    if (q.writing >= o.maxInFlight || q.waiting.length === 0) return;
    if (q.waiting.length >= o.maxBatch || o.windowMs === 0) {
      if (q.timer) clearTimeout(q.timer);
      q.timer = null;
      void write(eventId, q);
    } else if (!q.timer) {
      q.timer = setTimeout(() => {
        q.timer = null;
        void write(eventId, q);
      }, o.windowMs);
    }
  };

  const write = async (eventId: string, q: EventQueue) => {
    const taken = q.waiting.splice(0, o.maxBatch);
    const nowMs = Date.now();
    const batch: Entry[] = [];
    for (const e of taken) {
      if (e.deadlineAt <= nowMs) {
        settle(e);
        e.reject(shed('deadline', 'the hold could not start before its deadline'));
      } else batch.push(e);
    }
    if (batch.length === 0) return schedule(eventId, q);
    q.writing++;
    // Another batch may start collecting while this one is written.
    schedule(eventId, q);
    metrics.holdBatchSize.observe(batch.length);
    const started = performance.now();
    try {
      const outcomes = await writeHoldBatch(
        pool,
        eventId,
        batch.map((e) => e.request),
        now(),
      );
      batch.forEach((e, i) => {
        e.resolve(outcomes[i] as BatchHoldOutcome);
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      const ms = performance.now() - started;
      batchMs = batchMs * 0.8 + ms * 0.2;
      metrics.holdBatchSeconds.observe(ms / 1000);
      for (const e of batch) settle(e);
      q.writing--;
      if (q.waiting.length === 0 && !q.timer && q.writing === 0) queues.delete(eventId);
      else schedule(eventId, q);
    }
  };

  return {
    submit(eventId, request, deadlineAt) {
      if (pending >= o.queueMax) return Promise.reject(shed('hold_queue', 'too many holds are waiting; retry shortly'));
      const mine = perUser.get(request.userId) ?? 0;
      if (mine >= o.userMaxPending) {
        return Promise.reject(shed('user_share', 'too many of your holds are waiting; retry shortly'));
      }
      pending++;
      perUser.set(request.userId, mine + 1);
      let q = queues.get(eventId);
      if (!q) {
        q = { waiting: [], timer: null, writing: 0 };
        queues.set(eventId, q);
      }
      const queue = q;
      return new Promise<BatchHoldOutcome>((resolve, reject) => {
        queue.waiting.push({ request, deadlineAt, resolve, reject });
        schedule(eventId, queue);
      });
    },
    pending: () => pending,
  };
}
