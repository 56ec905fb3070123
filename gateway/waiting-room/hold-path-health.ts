import type { Pool } from '../../core/db/pool.js';
import { countsAsHoldWork } from '../../core/domain/counts-as-hold-work.js';
import type { Logger } from '../../core/log.js';
import type { Redis } from '../../core/redis/connect-redis.js';
import type { Keys } from '../../core/redis/keys.js';

/** The commands whose latency the admission loop steers by. */
const HOLD_PATH = new Set(['seats:hold', 'hold:confirm']);
/** A report older than this is ignored by the admission tick (its gateway is gone or stuck). */
export const HOLD_HEALTH_TTL_MS = 10_000;
/** Each report's p95 covers the acks of this many report intervals (a sliding window). */
const WINDOWS = 3;

export interface HoldHealthReport {
  /** p95 of the hold/confirm acks of the last WINDOWS intervals, counting still-running ones
   * older than one interval at their age so far (a hold stuck on a lock counts before it
   * finishes); null without any. */
  holdP95Ms: number | null;
  samples: number;
  /** Queries waiting for a pool connection (the database queue in front of Postgres). */
  dbWaiting: number;
  atMs: number;
}

function p95(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)] as number;
}

/**
 * The latencies one report is made of: every finished ack of the window, and each command still
 * running for longer than one report interval, at its age so far. A younger running command is
 * left to its ack: it is counted in the window it finishes in if it did the hold path's work,
 * and a refusal (answered in ~0 ms) never is, even when a report catches it in flight.
 */
export function reportSamples(finishedMs: number[], runningAgesMs: number[], intervalMs: number): number[] {
  return [...finishedMs, ...runningAgesMs.filter((age) => age > intervalMs)];
}

/**
 * Each gateway's hold-path health, published to Redis every interval for the admission tick's
 * closed loop (core/domain/admission-policy.ts nextAdmitLimit).
 */
export function createHoldPathHealth(deps: {
  redis: Redis;
  keys: Keys;
  pool: Pool;
  instanceId: string;
  intervalMs: number;
  log: Logger;
}) {
  // The last WINDOWS intervals' finished acks: a p95 of one second's few samples is mostly
  // noise (one burst of admissions decides it), which made the loop cut on every burst.
  const windows: number[][] = [[]];
  const running = new Set<{ startedMs: number }>();
  const report = (): HoldHealthReport => {
    const now = performance.now();
    const ages = [...running].map((r) => now - r.startedMs);
    const samples = reportSamples(windows.flat(), ages, deps.intervalMs);
    windows.push([]);
    if (windows.length > WINDOWS) windows.shift();
    return {
      holdP95Ms: p95(samples),
      samples: samples.length,
      dbWaiting: deps.pool.waitingCount,
      atMs: Date.now(),
    };
  };
  const timer = setInterval(() => {
    const r = report();
    deps.redis
      .multi()
      .hset(deps.keys.holdHealth, deps.instanceId, JSON.stringify(r))
      .pexpire(deps.keys.holdHealth, HOLD_HEALTH_TTL_MS)
      .exec()
      .catch((err: unknown) => deps.log.warn({ err }, 'hold-path health not published'));
  }, deps.intervalMs);
  timer.unref();
  return {
    /** Call when a command starts; the returned function when it is acked, with its outcome
     * (`ok` or the error code): only answers that did the hold path's work are samples. */
    begin(command: string): (outcome: string) => void {
      if (!HOLD_PATH.has(command)) return () => {};
      const entry = { startedMs: performance.now() };
      running.add(entry);
      return (outcome) => {
        if (!running.delete(entry) || !countsAsHoldWork(outcome)) return;
        windows[windows.length - 1]?.push(performance.now() - entry.startedMs);
      };
    },
    report,
    close(): void {
      clearInterval(timer);
    },
  };
}

export type HoldPathHealthRecorder = ReturnType<typeof createHoldPathHealth>;
