import type { Counter, Histogram } from 'prom-client';
import type { Pool } from '../db/pool.js';
import { AppError, isAppError } from '../domain/app-error.js';

export interface BatcherOptions {
  windowMs: number;
  maxBatch: number;
  /** Requests waiting for a batch on this process, over all keys. */
  queueMax: number;
  /** One user's requests waiting on this process. */
  userMaxPending: number;
  /** Batches of one key written at the same time by this process. */
  maxInFlight: number;
}

export interface BatcherMetrics {
  /** What the batched commands are called in shed reasons and messages ("hold", "confirm"). */
  name: string;
  size: Histogram;
  seconds: Histogram;
  shed: Counter<'reason'>;
}

export interface Batcher<Req, Out> {
  /**
   * Queues one request for the next batch of its key; OVERLOADED at once when full. A `retry`
   * (a request an earlier batch could not decide: its seats were locked by another) keeps its
   * place in line: it goes before every first try waiting, after earlier retries.
   */
  submit(key: string, request: Req, deadlineAt: number, opts?: { retry?: boolean }): Promise<Out>;
  /** Requests waiting for or inside a batch right now. */
  pending(): number;
}

/** Writes one batch: one outcome per request, in order. */
export type WriteBatch<Req, Out> = (key: string, batch: Req[]) => Promise<Out[]>;

interface Entry<Req, Out> {
  request: Req;
  deadlineAt: number;
  resolve(outcome: Out): void;
  reject(err: unknown): void;
}

interface KeyQueue<Req, Out> {
  waiting: Entry<Req, Out>[];
  /** How many entries at the head of `waiting` are retries. */
  retries: number;
  timer: NodeJS.Timeout | null;
  /** Batches of this key being written now. */
  writing: number;
}

/**
 * Group commit for one seat command on this gateway, per key (an event for seats:hold; the
 * gateway for hold:confirm): requests arriving within `windowMs` (or until `maxBatch`) are
 * written by one transaction (`write`). Up to `maxInFlight` batches of a key are written at
 * once; while they are, the next one collects, so batches grow with the database's latency and
 * commits per second stop being the ceiling. The queue is bounded, in total and per user: a
 * request that would wait past the bound, or whose deadline passes before its batch starts, is
 * answered OVERLOADED with retryAfterMs and never touches Postgres.
 */
export function createBatcher<Req extends { userId: string }, Out>(
  o: BatcherOptions,
  metrics: BatcherMetrics,
  write: WriteBatch<Req, Out>,
): Batcher<Req, Out> {
  const queues = new Map<string, KeyQueue<Req, Out>>();
  const perUser = new Map<string, number>();
  let pending = 0;
  /** Recent batch duration, for retryAfterMs. */
  let batchMs = 10;

  const shed = (reason: string, message: string) => {
    metrics.shed.inc({ reason: `${metrics.name}_${reason}` });
    const retryAfterMs = Math.min(5000, Math.max(50, Math.round(batchMs * Math.ceil((pending + 1) / o.maxBatch))));
    return new AppError('OVERLOADED', message, { retryAfterMs }, true);
  };

  const settle = (e: Entry<Req, Out>) => {
    pending--;
    const n = (perUser.get(e.request.userId) ?? 1) - 1;
    if (n <= 0) perUser.delete(e.request.userId);
    else perUser.set(e.request.userId, n);
  };

  const schedule = (key: string, q: KeyQueue<Req, Out>) => {
    if (q.writing >= o.maxInFlight || q.waiting.length === 0) return;
    if (q.waiting.length >= o.maxBatch || o.windowMs === 0) {
      if (q.timer) clearTimeout(q.timer);
      q.timer = null;
      void run(key, q);
    } else if (!q.timer) {
      q.timer = setTimeout(() => {
        q.timer = null;
        void run(key, q);
      }, o.windowMs);
    }
  };

  const run = async (key: string, q: KeyQueue<Req, Out>) => {
    const taken = q.waiting.splice(0, o.maxBatch);
    q.retries = Math.max(0, q.retries - taken.length);
    const nowMs = Date.now();
    const batch: Entry<Req, Out>[] = [];
    for (const e of taken) {
      if (e.deadlineAt <= nowMs) {
        settle(e);
        e.reject(shed('deadline', `the ${metrics.name} could not start before its deadline`));
      } else batch.push(e);
    }
    if (batch.length === 0) return schedule(key, q);
    q.writing++;
    // Another batch may start collecting while this one is written.
    schedule(key, q);
    metrics.size.observe(batch.length);
    const started = performance.now();
    try {
      const outcomes = await write(
        key,
        batch.map((e) => e.request),
      );
      batch.forEach((e, i) => {
        e.resolve(outcomes[i] as Out);
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
    } finally {
      const ms = performance.now() - started;
      batchMs = batchMs * 0.8 + ms * 0.2;
      metrics.seconds.observe(ms / 1000);
      for (const e of batch) settle(e);
      q.writing--;
      if (q.waiting.length === 0 && !q.timer && q.writing === 0) queues.delete(key);
      else schedule(key, q);
    }
  };

  return {
    submit(key, request, deadlineAt, opts) {
      if (pending >= o.queueMax) return Promise.reject(shed('queue', `too many ${metrics.name}s are waiting; retry shortly`));
      const mine = perUser.get(request.userId) ?? 0;
      if (mine >= o.userMaxPending) {
        return Promise.reject(shed('user_share', `too many of your ${metrics.name}s are waiting; retry shortly`));
      }
      pending++;
      perUser.set(request.userId, mine + 1);
      let q = queues.get(key);
      if (!q) {
        q = { waiting: [], retries: 0, timer: null, writing: 0 };
        queues.set(key, q);
      }
      const queue = q;
      return new Promise<Out>((resolve, reject) => {
        const entry = { request, deadlineAt, resolve, reject };
        if (opts?.retry) queue.waiting.splice(queue.retries++, 0, entry);
        else queue.waiting.push(entry);
        schedule(key, queue);
      });
    },
    pending: () => pending,
  };
}

/**
 * Writes a batch as one transaction (`write`); when that fails whole, except with an AppError
 * (the answer for every request, e.g. OVERLOADED on a lost connection), writes each request
 * alone, so a failure (a key this user already used for another command, say) belongs only to
 * the request that caused it. One outcome per request: its result or its own error.
 */
export async function writeWholeOrEach<Req, Out>(
  items: readonly Req[],
  write: (items: readonly Req[]) => Promise<(Out | Error)[]>,
): Promise<(Out | Error)[]> {
  try {
    return await write(items);
  } catch (err) {
    if (items.length === 1 || isAppError(err)) throw err;
    const outcomes: (Out | Error)[] = [];
    for (const item of items) {
      outcomes.push(
        await write([item]).then(
          ([one]) => one as Out | Error,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        ),
      );
    }
    return outcomes;
  }
}

/** What a batched seat command needs: the pool, its batcher, its deadline. */
export interface BatchedDeps<Req, Out> {
  pool: Pool;
  batcher: Batcher<Req, Out | Error>;
  /** The command's deadline: a request not started by then is not started. */
  deadlineAt: number;
}

/** One request through its batcher under `key` (alone, it is a batch of one). Its own failure is thrown. */
export async function submitOne<Req, Out>(deps: BatchedDeps<Req, Out>, key: string, request: Req): Promise<Out> {
  const outcome = await deps.batcher.submit(key, request, deps.deadlineAt);
  if (outcome instanceof Error) throw outcome;
  return outcome;
}
